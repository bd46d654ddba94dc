#include "aidc/model/contract.hpp"

#include <algorithm>

#include "aidc/kernel/quarter.hpp"

namespace aidc {

ContractSettlement settle_contract(double contracted_h100e, double available_h100e, double price_usd_per_hour,
                                   double shortfall_penalty) noexcept {
  ContractSettlement s;
  s.delivered_h100e = std::clamp(available_h100e, 0.0, std::max(0.0, contracted_h100e));
  s.paid_usd = s.delivered_h100e * price_usd_per_hour * hours_per_quarter;
  s.penalty_usd = shortfall_penalty * (std::max(0.0, contracted_h100e) - s.delivered_h100e) * price_usd_per_hour *
                  hours_per_quarter;
  return s;
}

double contract_value_left_usd(double compute_h100e, double price_usd_per_hour, int start_index, int length_quarters,
                               int now_index) noexcept {
  const int end = start_index + length_quarters;  // first quarter no longer served
  const int left = end - std::max(start_index, now_index + 1);
  return left > 0 ? compute_h100e * price_usd_per_hour * hours_per_quarter * left : 0.0;
}

}  // namespace aidc
