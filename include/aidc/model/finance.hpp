#pragma once
//! The finance part of a run (World): the money conditions events change (base rate, credit
//! spread, leverage cap) and who paid whom (MODEL.md §8). The agents' ledgers and loans are theirs
//! (agent.hpp).

#include <cstddef>

#include "aidc/model/money_flow.hpp"

namespace aidc {

struct Finance {
  explicit Finance(std::size_t nodes) : money(nodes) {}

  MoneyFlowGraph money;               // agents are nodes 0 … agents − 1, vendors follow
  bool any_investment = false;        // a circular deal happened: round trips are computed
  double base_rate_override = -1.0;   // < 0: the scenario's series
  double crunch_spread = 0.0;
  double leverage_cap = 1e9;          // credit crunches lower it
};

}  // namespace aidc
