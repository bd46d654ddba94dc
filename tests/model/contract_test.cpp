// Firm contracts (docs/model.md §7): a quarter's settlement and the exposure left.

#include "aidc/model/contract.hpp"

#include <gtest/gtest.h>

#include "aidc/kernel/quarter.hpp"

namespace aidc {
namespace {

// 100k H100e contracted at $2/h; the seller has only 60k free: it delivers 60k, the buyer pays
// 60,000 × 2 × 2,191.5 = $262.98M (take-or-pay: whatever its own use), and the seller pays a 25%
// penalty on the 40k it failed to deliver: 0.25 × 40,000 × 2 × 2,191.5 = $43.83M.
TEST(ContractSettlement, ShortfallCostsTheSellerAPenalty) {
  const ContractSettlement s = settle_contract(100e3, 60e3, 2.0, 0.25);
  EXPECT_DOUBLE_EQ(s.delivered_h100e, 60e3);
  EXPECT_DOUBLE_EQ(s.paid_usd, 60e3 * 2.0 * hours_per_quarter);
  EXPECT_NEAR(s.paid_usd, 262.98e6, 1e-3);
  EXPECT_NEAR(s.penalty_usd, 43.83e6, 1e-3);
}

TEST(ContractSettlement, FullyServedOwesNoPenalty) {
  const ContractSettlement s = settle_contract(100e3, 250e3, 2.0, 0.25);
  EXPECT_DOUBLE_EQ(s.delivered_h100e, 100e3);
  EXPECT_DOUBLE_EQ(s.penalty_usd, 0.0);
  // Nothing free: nothing delivered, nothing paid, the whole value × penalty owed.
  const ContractSettlement none = settle_contract(100e3, 0.0, 2.0, 0.25);
  EXPECT_DOUBLE_EQ(none.paid_usd, 0.0);
  EXPECT_DOUBLE_EQ(none.penalty_usd, 0.25 * 100e3 * 2.0 * hours_per_quarter);
}

// A contract of 8 quarters from index 100 (100 … 107): after quarter 103, 4 quarters are left
// (104 … 107): 1,000 × $1.5 × 2,191.5 × 4 = $13.149M; before it starts, all 8; after it ends, 0.
TEST(ContractExposure, ValueLeftAfterThisQuarter) {
  EXPECT_NEAR(contract_value_left_usd(1000.0, 1.5, 100, 8, 103), 13.149e6, 1e-6);
  EXPECT_NEAR(contract_value_left_usd(1000.0, 1.5, 100, 8, 90), 26.298e6, 1e-6);
  EXPECT_EQ(contract_value_left_usd(1000.0, 1.5, 100, 8, 107), 0.0);
  EXPECT_EQ(contract_value_left_usd(1000.0, 1.5, 100, 8, 120), 0.0);
}

}  // namespace
}  // namespace aidc
