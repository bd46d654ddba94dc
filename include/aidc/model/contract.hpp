#pragma once
//! Firm offtake and rental contracts (MODEL.md §7, docs/model.md §7): what one quarter of a
//! contract settles to, and what is still owed under it.

namespace aidc {

//! One quarter of a contract, settled.
struct ContractSettlement {
  double delivered_h100e = 0.0;  //!< min(contracted, what the seller has powered and free)
  double paid_usd = 0.0;         //!< buyer → seller: delivered × price × hours (take-or-pay)
  double penalty_usd = 0.0;      //!< seller → buyer: shortfall_penalty × undelivered × price × hours
};

//! Settles a quarter of a contract for `contracted_h100e` at `price_usd_per_hour` when the seller
//! has `available_h100e` to serve it with.
ContractSettlement settle_contract(double contracted_h100e, double available_h100e, double price_usd_per_hour,
                                   double shortfall_penalty) noexcept;

//! Value still owed under a contract after quarter `now_index` (quarters are indices): compute ×
//! price × hours × the quarters left of [start, start + length). Counterparty exposure.
double contract_value_left_usd(double compute_h100e, double price_usd_per_hour, int start_index, int length_quarters,
                               int now_index) noexcept;

}  // namespace aidc
