#pragma once
// Random valid scenarios for the property tests: a RapidCheck generator of scenario YAML text.

#include <ostream>
#include <string>

#include <rapidcheck.h>

namespace aidc::test {

//! A generated scenario, as the YAML text a user would write.
struct GeneratedScenario {
  std::string yaml;
};

//! RapidCheck prints a counterexample with this: the YAML as it is, ready to be saved as a file.
void showValue(const GeneratedScenario& scenario, std::ostream& os);

//! Random scenarios that must pass validation: 1–3 regions (blocs, links, planned additions),
//! 1–3 vendors, 1–4 chips, 1–4 agents of every kind with sites, fleets, debt and finance, demand
//! for every bloc with agents, power technologies, contracts, 0–5 events of every kind and market
//! finance; 4–40 quarters. Values span the ranges the schema allows (zero capacity, generation or
//! demand, factor 0 shocks, negative base rates…). Every choice shrinks towards the simplest
//! (fewer entities, shorter runs, optional keys left out), so a failure shrinks to a small file.
rc::Gen<GeneratedScenario> random_scenario();

}  // namespace aidc::test
