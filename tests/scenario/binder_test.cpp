// Choices read into enums and names given back (choices.hpp); references bound to indices once a
// scenario is valid (binder.hpp).

#include "aidc/scenario/binder.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "aidc/scenario/choices.hpp"
#include "aidc/scenario/loader.hpp"
#include "aidc/scenario/schema.hpp"
#include "scenario_test_support.hpp"

namespace aidc {
namespace {

using namespace test;

// Every name of E reads back as the value that gives it, in the enum's order, and nothing else does.
template <class E>
void expect_round_trip(const std::vector<std::string>& expected) {
  ASSERT_EQ(choice_names<E>(), expected);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    const auto value = choice_named<E>(expected[i]);
    ASSERT_TRUE(value.has_value()) << expected[i];
    EXPECT_EQ(static_cast<std::size_t>(*value), i) << expected[i];
    EXPECT_EQ(name_of(*value), expected[i]);
    EXPECT_EQ(std::string(name_of(*value).data()), expected[i]) << "names are null-terminated";
  }
  EXPECT_FALSE(choice_named<E>("").has_value());
  EXPECT_FALSE(choice_named<E>("no such value").has_value());
  EXPECT_FALSE(choice_named<E>(expected.front() + " ").has_value());
}

TEST(Choices, EveryNameRoundTrips) {
  expect_round_trip<EventKind>({"demand_shock", "efficiency_gain", "export_control", "base_rate", "credit_crunch",
                                "grid_addition", "grid_delay", "chip_delay", "price_war", "funding_shock",
                                "circular_deal"});
  expect_round_trip<AgentKind>({"hyperscaler", "neocloud", "lab", "sovereign", "china_cloud"});
  expect_round_trip<Segment>({"all", "inference", "training"});
  expect_round_trip<ExportAction>({"ban", "allow"});
  expect_round_trip<RetirementPolicy>({"economic_life", "unprofitable"});
  expect_round_trip<SiteOwnership>({"owned", "leased"});
  expect_round_trip<ChipFamily>({"gpu", "tpu", "trainium", "ascend", "other"});
}

TEST(Choices, TheSchemaOffersTheEnumsNames) {
  EXPECT_EQ(known_event_kinds, choice_names<EventKind>());
  EXPECT_EQ(known_agent_kinds, choice_names<AgentKind>());
  EXPECT_EQ(known_segments, choice_names<Segment>());
  EXPECT_EQ(known_chip_families, choice_names<ChipFamily>());
  auto choices_of = [](const std::string& section, const std::string& key) {
    for (const auto& s : scenario_schema()) {
      if (s.path != section) continue;
      for (const auto& p : s.params) {
        if (p.key == key) return p.choices;
      }
    }
    ADD_FAILURE() << section << "." << key << " is not in the schema";
    return std::vector<std::string>{};
  };
  EXPECT_EQ(choices_of("events[]", "kind"), choice_names<EventKind>());
  EXPECT_EQ(choices_of("events[]", "segment"), choice_names<Segment>());
  EXPECT_EQ(choices_of("events[]", "action"), choice_names<ExportAction>());
  EXPECT_EQ(choices_of("agents[]", "kind"), choice_names<AgentKind>());
  EXPECT_EQ(choices_of("agents[]", "retirement"), choice_names<RetirementPolicy>());
  EXPECT_EQ(choices_of("sites[]", "ownership"), choice_names<SiteOwnership>());
  EXPECT_EQ(choices_of("chips[]", "family"), choice_names<ChipFamily>());
}

TEST(Choices, BlocIdsAndMasks) {
  EXPECT_EQ(bloc_id("us"), 0U);
  EXPECT_EQ(bloc_id("china"), 1U);
  EXPECT_EQ(bloc_id("row"), 2U);
  EXPECT_THROW(static_cast<void>(bloc_id("eu")), std::out_of_range);
  EXPECT_EQ(bloc_mask({}), 0U);
  EXPECT_EQ(bloc_mask({"us", "row"}), (1U << 0) | (1U << 2));
  EXPECT_THROW(static_cast<void>(bloc_mask({"us", "mars"})), std::out_of_range);
}

TEST(Choices, ALoadedScenarioHoldsTheValuesItNames) {
  std::string text = with("    kind: hyperscaler\n", "    kind: sovereign\n    retirement: unprofitable\n");
  text = with("online: 2024Q1}", "online: 2024Q1, ownership: leased, lease_cost: $1M/MW}", text);
  text += "events:\n"
          "  - {kind: demand_shock, at: 2025Q1, bloc: us, factor: 1.2, segment: training}\n"
          "  - {kind: export_control, at: 2025Q1, target: H100, bloc: china, action: allow}\n"
          "  - {kind: base_rate, at: 2025Q2, rate: 5%}\n";
  const ScenarioSpec spec = load_scenario_text(text, "mini.yaml");
  EXPECT_EQ(spec.agents[0].kind, AgentKind::sovereign);
  EXPECT_EQ(spec.agents[0].retirement, RetirementPolicy::unprofitable);
  EXPECT_EQ(spec.sites[0].ownership, SiteOwnership::leased);
  EXPECT_EQ(spec.chips[0].family, ChipFamily::gpu);
  ASSERT_EQ(spec.events.size(), 3U);
  EXPECT_EQ(spec.events[0].kind, EventKind::demand_shock);
  EXPECT_EQ(spec.events[0].segment, Segment::training);
  EXPECT_EQ(spec.events[1].kind, EventKind::export_control);
  EXPECT_EQ(spec.events[1].action, ExportAction::allow);
  EXPECT_EQ(spec.events[2].kind, EventKind::base_rate);
  EXPECT_EQ(spec.events[2].segment, Segment::all) << "the default";
  EXPECT_EQ(spec.events[2].action, ExportAction::ban) << "the default";
}

// ---- binding ------------------------------------------------------------------------------------

// minimal with a second vendor, chip, agent and region, a link, a contract and one event of each
// kind that names something.
std::string bigger() {
  std::string text = with("    lead_time: 2 quarters\n",
                          "    lead_time: 2 quarters\n  - name: amd\n    capacity: 10k\n    lead_time: 1 quarter\n    captive_owner: beta\n");
  text = with("    markets: [us]\n",
              "    markets: [us]\n  - name: MI300\n    vendor: amd\n    family: gpu\n    available_from: 2024Q1\n"
              "    bf16_tflops: 1300\n    power: 1.2 kW\n    rack_power: 40 kW\n    price: $20k\n"
              "    economic_life: 3 years\n    markets: [us, row]\n",
              text);
  text = with("    fleet:\n      - {chip: H100, count: 50k, site: east-1}\n",
              "    fleet:\n      - {chip: H100, count: 50k, site: east-1}\n"
              "    on_order:\n      - {chip: H100, count: 1k, arrives: 2024Q3}\n"
              "  - name: beta\n    kind: lab\n    bloc: us\n    cash: $1B\n    vendors: [amd, nvidia]\n"
              "    regions: [us-west, us-east]\n    strategy: {target_share: 20%}\n    book_life: 6 years\n"
              "    new_site: {capacity: 300 MW, rack_density: 60 kW, build_time: 2 years}\n",
              text);
  text = with("    interconnection_time: 5 years\n",
              "    interconnection_time: 5 years\n  - name: us-west\n    bloc: us\n    generation: 10 GW\n"
              "    other_load: 5 GW\n    power_price: $50/MWh\n    interconnection_time: 2 years\n",
              text);
  text += "links:\n  - {name: east-west, from: us-west, to: us-east, capacity: 1 GW}\n"
          "contracts:\n  - {name: c1, buyer: beta, seller: acme, compute: 1k, price: $2/h, start: 2024Q2, length: 4 quarters}\n"
          "events:\n"
          "  - {kind: export_control, at: 2025Q1, target: MI300, bloc: china}\n"
          "  - {kind: export_control, at: 2025Q1, target: amd, bloc: row}\n"
          "  - {kind: chip_delay, at: 2025Q1, target: MI300, delay: 2 quarters}\n"
          "  - {kind: price_war, at: 2025Q1, target: amd, factor: 0.8}\n"
          "  - {kind: funding_shock, at: 2025Q1, target: beta, factor: 0.5}\n"
          "  - {kind: circular_deal, at: 2025Q1, target: amd, recipient: beta, amount: $1B}\n"
          "  - {kind: circular_deal, at: 2025Q1, target: acme, recipient: beta, amount: $1B}\n"
          "  - {kind: grid_addition, at: 2025Q1, region: us-west, capacity: 1 GW}\n"
          "  - {kind: grid_delay, at: 2025Q1, region: us-west, delay: 4 quarters}\n"
          "  - {kind: efficiency_gain, at: 2025Q1, factor: 2}\n"
          "  - {kind: demand_shock, at: 2025Q1, bloc: row, factor: 2}\n";
  return text;
}

TEST(Binder, ALoadedScenarioHasEveryReferenceBound) {
  const ScenarioSpec spec = load_scenario_text(bigger(), "bigger.yaml");
  ASSERT_TRUE(spec.references_bound);
  // chips → vendors, markets → bits
  EXPECT_EQ(spec.chips[0].vendor_index, 0U);
  EXPECT_EQ(spec.chips[1].vendor_index, 1U);
  EXPECT_EQ(spec.chips[0].market_mask, 1U << 0);
  EXPECT_EQ(spec.chips[1].market_mask, (1U << 0) | (1U << 2));
  // vendors → their captive owner
  EXPECT_EQ(spec.vendors[0].captive_owner_index, no_index);
  EXPECT_EQ(spec.vendors[1].captive_owner_index, 1);
  // regions, agents → blocs; links → regions
  EXPECT_EQ(spec.regions[1].bloc_index, bloc_id("us"));  // us-west, after us-east
  EXPECT_EQ(spec.regions[2].bloc_index, bloc_id("china"));
  EXPECT_EQ(spec.links[0].from_index, 1U);
  EXPECT_EQ(spec.links[0].to_index, 0U);
  // sites → owners and regions
  EXPECT_EQ(spec.sites[0].owner_index, 0U);
  EXPECT_EQ(spec.sites[0].region_index, 0U);
  // agents → vendors and regions in their order; fleets → chips and sites; orders → chips
  const AgentSpec& beta = spec.agents[1];
  EXPECT_EQ(beta.bloc_index, bloc_id("us"));
  EXPECT_EQ(beta.vendor_indices, (std::vector<std::uint32_t>{1, 0}));
  EXPECT_EQ(beta.region_indices, (std::vector<std::uint32_t>{1, 0}));
  EXPECT_EQ(spec.agents[0].fleet[0].chip_index, 0U);
  EXPECT_EQ(spec.agents[0].fleet[0].site_index, 0U);
  EXPECT_EQ(spec.agents[0].on_order[0].chip_index, 0U);
  // demand → blocs; contracts → agents
  EXPECT_EQ(spec.demand[0].bloc_index, bloc_id("us"));
  EXPECT_EQ(spec.contracts[0].buyer_index, 1U);
  EXPECT_EQ(spec.contracts[0].seller_index, 0U);
  // events → targets (what they are depends on the kind), recipients, regions and blocs
  using TargetIs = EventSpec::TargetIs;
  const auto& e = spec.events;
  ASSERT_EQ(e.size(), 11U);
  EXPECT_EQ(e[0].target_is, TargetIs::chip);
  EXPECT_EQ(e[0].target_index, 1);
  EXPECT_EQ(e[0].bloc_index, static_cast<std::int32_t>(bloc_id("china")));
  EXPECT_EQ(e[1].target_is, TargetIs::vendor);
  EXPECT_EQ(e[1].target_index, 1);
  EXPECT_EQ(e[2].target_is, TargetIs::chip);
  EXPECT_EQ(e[2].target_index, 1);
  EXPECT_EQ(e[3].target_is, TargetIs::vendor);
  EXPECT_EQ(e[3].target_index, 1);
  EXPECT_EQ(e[4].target_is, TargetIs::agent);
  EXPECT_EQ(e[4].target_index, 1);
  EXPECT_EQ(e[5].target_is, TargetIs::vendor);
  EXPECT_EQ(e[5].target_index, 1);
  EXPECT_EQ(e[5].recipient_index, 1);
  EXPECT_EQ(e[6].target_is, TargetIs::agent);
  EXPECT_EQ(e[6].target_index, 0);
  EXPECT_EQ(e[7].region_index, 1);
  EXPECT_EQ(e[8].region_index, 1);
  EXPECT_EQ(e[9].target_is, TargetIs::none);
  EXPECT_EQ(e[9].target_index, no_index);
  EXPECT_EQ(e[9].bloc_index, no_index) << "no bloc: every bloc";
  EXPECT_EQ(e[9].region_index, no_index);
  EXPECT_EQ(e[9].recipient_index, no_index);
  EXPECT_EQ(e[10].bloc_index, static_cast<std::int32_t>(bloc_id("row")));
}

TEST(Binder, BindingAgainGivesTheSameIndices) {
  const ScenarioSpec once = load_scenario_text(bigger(), "bigger.yaml");
  ScenarioSpec twice = once;
  bind_references(twice);
  for (std::size_t i = 0; i < once.events.size(); ++i) {
    EXPECT_EQ(twice.events[i].target_index, once.events[i].target_index) << i;
    EXPECT_EQ(twice.events[i].target_is, once.events[i].target_is) << i;
  }
  EXPECT_EQ(twice.agents[1].vendor_indices, once.agents[1].vendor_indices);
  EXPECT_EQ(twice.sites[0].region_index, once.sites[0].region_index);
}

TEST(Binder, AnUnknownNameInASpecBuiltByHandThrowsNamingTheReference) {
  ScenarioSpec spec = load_scenario_text(std::string(minimal), "mini.yaml");
  spec.references_bound = false;
  spec.sites[0].region = "atlantis";
  try {
    bind_references(spec);
    FAIL() << "bound an unknown region";
  } catch (const std::out_of_range& e) {
    EXPECT_EQ(std::string(e.what()), "sites[east-1].region: unknown region 'atlantis'");
  }
  EXPECT_FALSE(spec.references_bound);
}

}  // namespace
}  // namespace aidc
