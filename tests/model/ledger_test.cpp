// The double-entry ledger: a small history of postings with a balance sheet known by hand (MODEL.md §8).

#include "aidc/model/ledger.hpp"

#include <gtest/gtest.h>

namespace aidc {
namespace {

TEST(Ledger, EmptyLedgerIsBalanced) {
  const Ledger l;
  for (const Account a : {Account::cash, Account::chips, Account::sites, Account::equity}) EXPECT_EQ(l.balance(a), 0.0);
  EXPECT_EQ(l.imbalance(), 0.0);
  EXPECT_EQ(l.scale(), 0.0);
  EXPECT_EQ(l.equity_usd(), 0.0);
}

TEST(Ledger, BalanceSheetAfterAQuarter) {
  Ledger l;
  l.post(Account::cash, Account::equity, 1000.0);  // initial equity paid in as cash
  EXPECT_EQ(l.balance(Account::cash), 1000.0);
  EXPECT_EQ(l.balance(Account::equity), -1000.0);
  EXPECT_EQ(l.equity_usd(), 1000.0);
  EXPECT_EQ(l.imbalance(), 0.0);

  l.post(Account::chips, Account::cash, 600.0);  // chips bought
  EXPECT_EQ(l.balance(Account::cash), 400.0);
  EXPECT_EQ(l.balance(Account::chips), 600.0);
  EXPECT_EQ(l.equity_usd(), 1000.0);  // an asset swap leaves equity alone
  EXPECT_EQ(l.imbalance(), 0.0);

  l.post(Account::equity, Account::chips, 25.0);  // a quarter of depreciation (600 / 24)
  EXPECT_EQ(l.balance(Account::chips), 575.0);
  EXPECT_EQ(l.equity_usd(), 975.0);
  EXPECT_EQ(l.imbalance(), 0.0);

  l.post(Account::cash, Account::equity, 100.0);  // revenue
  EXPECT_EQ(l.balance(Account::cash), 500.0);
  EXPECT_EQ(l.equity_usd(), 1075.0);
  EXPECT_EQ(l.imbalance(), 0.0);

  l.post(Account::equity, Account::chips, 75.0);  // impairment
  EXPECT_EQ(l.balance(Account::chips), 500.0);
  EXPECT_EQ(l.equity_usd(), 1000.0);
  EXPECT_EQ(l.imbalance(), 0.0);

  l.post(Account::sites, Account::cash, 200.0);  // construction spending
  EXPECT_EQ(l.balance(Account::sites), 200.0);
  EXPECT_EQ(l.balance(Account::cash), 300.0);
  EXPECT_EQ(l.imbalance(), 0.0);

  // Assets = equity (no liabilities yet): 300 cash + 500 chips + 200 sites = 1000.
  EXPECT_EQ(l.balance(Account::cash) + l.balance(Account::chips) + l.balance(Account::sites), l.equity_usd());
  EXPECT_EQ(l.scale(), 1075.0);  // equity before the impairment: the largest balance held so far
}

TEST(Ledger, NegativeAmountReversesAPosting) {
  Ledger l;
  l.post(Account::cash, Account::equity, 50.0);
  l.post(Account::cash, Account::equity, -50.0);
  EXPECT_EQ(l.balance(Account::cash), 0.0);
  EXPECT_EQ(l.balance(Account::equity), 0.0);
  EXPECT_EQ(l.imbalance(), 0.0);
}

TEST(Ledger, LossesCanMakeCashNegativeWhileBalancing) {
  Ledger l;
  l.post(Account::cash, Account::equity, 10.0);
  l.post(Account::equity, Account::cash, 30.0);  // a power bill larger than the cash
  EXPECT_EQ(l.balance(Account::cash), -20.0);
  EXPECT_EQ(l.equity_usd(), -20.0);
  EXPECT_EQ(l.imbalance(), 0.0);
  EXPECT_EQ(l.scale(), 20.0);
}

TEST(Ledger, ManyPostingsStayBalancedWithinRounding) {
  Ledger l;
  l.post(Account::cash, Account::equity, 1e10);
  for (int i = 0; i < 1000; ++i) {
    l.post(Account::chips, Account::cash, 1234567.891);
    l.post(Account::equity, Account::chips, 1234567.891 / 24.0);
    l.post(Account::cash, Account::equity, 0.1 * i);
  }
  EXPECT_NEAR(l.imbalance(), 0.0, 1e-9 * l.scale());
}

TEST(Ledger, ScaleRemembersBalancesThatShrank) {
  // The rounding of large postings stays after the balances shrink: the tolerance must too.
  Ledger l;
  l.post(Account::cash, Account::equity, 8.51e6);
  l.post(Account::sites, Account::cash, 8.51e6 - 0.3);
  l.post(Account::equity, Account::sites, 8.51e6 - 0.3);
  EXPECT_NEAR(l.balance(Account::cash), 0.3, 1e-9);
  EXPECT_EQ(l.scale(), 8.51e6);
}

TEST(Ledger, AccountNames) {
  EXPECT_EQ(account_name(Account::cash), "cash");
  EXPECT_EQ(account_name(Account::chips), "chips");
  EXPECT_EQ(account_name(Account::sites), "sites");
  EXPECT_EQ(account_name(Account::equity), "equity");
}

// MODEL.md §8 by hand: $100 of equity, a $50 loan, $120 of chips, a quarter of depreciation over
// 24 quarters ($5), interest at 8%/yr ($1), then an impairment of $15.
//   assets: cash 100 + 50 − 120 − 1 = 29; chips 120 − 5 − 15 = 100   → 129
//   liabilities: debt 50; equity 100 − 5 − 1 − 15 = 79                → 129
TEST(Ledger, BalanceSheetAfterALoanAPurchaseDepreciationAndAnImpairment) {
  Ledger l;
  l.post(Account::cash, Account::equity, 100.0);
  l.post(Account::cash, Account::debt, 50.0);     // the loan
  l.post(Account::chips, Account::cash, 120.0);   // the purchase
  l.post(Account::equity, Account::chips, 5.0);   // a quarter of book depreciation
  l.post(Account::equity, Account::cash, 1.0);    // interest: 50 × 8% / 4
  l.post(Account::equity, Account::chips, 15.0);  // impairment
  EXPECT_EQ(l.balance(Account::cash), 29.0);
  EXPECT_EQ(l.balance(Account::chips), 100.0);
  EXPECT_EQ(l.debt_usd(), 50.0);
  EXPECT_EQ(l.equity_usd(), 79.0);
  EXPECT_EQ(l.balance(Account::cash) + l.balance(Account::chips), l.debt_usd() + l.equity_usd());
  EXPECT_EQ(l.imbalance(), 0.0);
  // Repaying the loan shrinks both sides.
  l.post(Account::debt, Account::cash, 20.0);
  EXPECT_EQ(l.debt_usd(), 30.0);
  EXPECT_EQ(l.balance(Account::cash), 9.0);
  EXPECT_EQ(l.imbalance(), 0.0);
  EXPECT_EQ(account_name(Account::debt), "debt");
  EXPECT_EQ(account_name(Account::investments), "investments");
}

}  // namespace
}  // namespace aidc
