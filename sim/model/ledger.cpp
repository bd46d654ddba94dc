#include "aidc/model/ledger.hpp"

namespace aidc {

std::string_view account_name(Account a) noexcept {
  switch (a) {
    case Account::cash: return "cash";
    case Account::chips: return "chips";
    case Account::sites: return "sites";
    case Account::power: return "power";
    case Account::investments: return "investments";
    case Account::non_ai: return "non_ai";
    case Account::deposits: return "deposits";
    case Account::debt: return "debt";
    case Account::equity: return "equity";
    case Account::count_: break;
  }
  return "?";
}

double Ledger::imbalance() const noexcept {
  double sum = 0.0;
  for (const double b : balance_) sum += b;
  return sum;
}

}  // namespace aidc
