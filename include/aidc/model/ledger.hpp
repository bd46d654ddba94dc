#pragma once
//! A double-entry ledger: every movement of money debits one account and credits another.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <string_view>

namespace aidc {

//! The accounts of an agent's books. Debit-normal (assets) balances are positive,
//! credit-normal (liabilities, equity) balances negative, so all balances sum to zero.
//! power: generation the agent paid for; investments: stakes bought in others (circular deals);
//! non_ai: assets of its non-AI business (its non-AI capex less depreciation);
//! debt: loans owed (credit-normal, like equity).
enum class Account : std::size_t { cash = 0, chips, sites, power, investments, non_ai, deposits, debt, equity, count_ };

//! Name of an account ("cash").
std::string_view account_name(Account a) noexcept;

//! One agent's ledger. Cost: O(1) per posting.
class Ledger {
 public:
  //! Debits `debit` and credits `credit` by amount_usd (>= 0 expected; negative reverses).
  void post(Account debit, Account credit, double amount_usd) noexcept {
    const double d = balance_[static_cast<std::size_t>(debit)] += amount_usd;
    const double c = balance_[static_cast<std::size_t>(credit)] -= amount_usd;
    peak_ = std::max({peak_, std::abs(d), std::abs(c)});
  }
  //! Signed balance (assets positive, equity negative).
  [[nodiscard]] double balance(Account a) const noexcept { return balance_[static_cast<std::size_t>(a)]; }
  //! Debt as a positive number.
  [[nodiscard]] double debt_usd() const noexcept { return -balance(Account::debt); }
  //! Equity as a positive number.
  [[nodiscard]] double equity_usd() const noexcept { return -balance(Account::equity); }
  //! Sum of all balances: zero when the books balance (up to rounding).
  [[nodiscard]] double imbalance() const noexcept;
  //! Largest absolute balance any account has held, for scaling rounding tolerances: the rounding
  //! of past postings stays in the balances after they shrink.
  [[nodiscard]] double scale() const noexcept { return peak_; }

 private:
  std::array<double, static_cast<std::size_t>(Account::count_)> balance_{};
  double peak_ = 0.0;
};

}  // namespace aidc
