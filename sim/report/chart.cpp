#include "aidc/report/chart.hpp"

#include <algorithm>
#include <unordered_set>

namespace aidc {

namespace {

constexpr double million = 1e-6;
constexpr double billion = 1e-9;

ChartSeries s(std::string name, EntityKind kind, std::string entity, Metric metric, std::string style = "line",
              int axis = 0) {
  ChartSeries out;
  out.name = std::move(name);
  out.kind = kind;
  out.entity = std::move(entity);
  out.metric = std::string(metric_name(metric));
  out.style = std::move(style);
  out.axis = axis;
  return out;
}

ChartSeries ratio(std::string name, EntityKind kind, std::string entity, Metric metric, Metric divide_by) {
  ChartSeries out = s(std::move(name), kind, std::move(entity), metric);
  out.divide_by = std::string(metric_name(divide_by));
  return out;
}

// Entities of a kind across runs, in first-appearance order.
std::vector<std::string> entities(const std::vector<const RunData*>& runs, EntityKind kind) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (const RunData* r : runs) {
    for (const auto& e : r->entities_of(kind)) {
      if (seen.insert(e).second) out.push_back(e);
    }
  }
  return out;
}

bool recorded(const std::vector<const RunData*>& runs, const ChartSeries& c) {
  return std::any_of(runs.begin(), runs.end(), [&](const RunData* r) {
    return r->series(c.kind, c.entity, c.metric) != nullptr &&
           (c.divide_by.empty() || r->series(c.kind, c.entity, c.divide_by) != nullptr);
  });
}

std::vector<ChartSeries> compute_series(EntityKind kind, const std::string& entity) {
  return {s("installed", kind, entity, Metric::installed_h100e), s("powered", kind, entity, Metric::powered_h100e),
          s("utilized", kind, entity, Metric::utilized_h100e), s("stranded", kind, entity, Metric::stranded_h100e, "area"),
          s("idle", kind, entity, Metric::idle_h100e, "area")};
}

// The entities charted, across runs, in first-appearance order.
struct Charted {
  std::vector<std::string> blocs, regions, agents, vendors;
};

constexpr auto G = EntityKind::global;
constexpr auto B = EntityKind::bloc;
constexpr auto R = EntityKind::region;
constexpr auto A = EntityKind::agent;
constexpr auto V = EntityKind::vendor;

// Compute: world, each bloc, and the stranded share.
void add_compute_charts(const Charted& e, std::vector<Chart>& charts) {
  const auto& blocs = e.blocs;
  charts.push_back({"world-compute", "compute", "World compute",
                    "Installed, powered and utilized compute; the shaded areas are stranded and idle compute.",
                    "M H100e", million, "", 1.0, compute_series(G, "world"), std::nullopt, ""});
  for (const auto& b : blocs) {
    charts.push_back({"bloc-" + b + "-compute", "compute", "Compute in " + b,
                      "The same five quantities for the buyers of the " + b + " bloc.", "M H100e", million, "", 1.0,
                      compute_series(B, b), std::nullopt, ""});
  }
  {
    Chart c{"stranded-share", "compute", "Share of installed compute stranded",
            "Stranded / installed compute, world and each bloc.", "%", 100.0, "", 1.0, {}, std::nullopt, ""};
    c.series.push_back(ratio("world", G, "world", Metric::stranded_h100e, Metric::installed_h100e));
    for (const auto& b : blocs) c.series.push_back(ratio(b, B, b, Metric::stranded_h100e, Metric::installed_h100e));
    charts.push_back(c);
  }
}

// Utilization: world and blocs, and each buyer.
void add_utilization_charts(const Charted& e, std::vector<Chart>& charts) {
  const auto& blocs = e.blocs;
  const auto& agents = e.agents;
  {
    Chart c{"utilization-blocs", "utilization", "Utilization by bloc", "Utilized / powered compute.", "%", 100.0,
            "", 1.0, {s("world", G, "world", Metric::utilization)}, std::nullopt, ""};
    for (const auto& b : blocs) c.series.push_back(s(b, B, b, Metric::utilization));
    charts.push_back(c);
  }
  {
    Chart c{"utilization-agents", "utilization", "Utilization by buyer",
            "Utilized / powered compute of each buyer; click a name in the legend to hide or show it.", "%", 100.0, "",
            1.0, {}, std::nullopt, ""};
    for (const auto& a : agents) c.series.push_back(s(a, A, a, Metric::utilization));
    charts.push_back(c);
  }
}

// Power: one chart per region.
void add_power_charts(const Charted& e, std::vector<Chart>& charts) {
  const auto& regions = e.regions;
  for (const auto& r : regions) {
    Chart c{"region-" + r + "-power", "power", "Power in " + r,
            "Requested and delivered power of the region's datacenters, and the ceiling: what the region can give "
            "them. Shaded: power-bound quarters.",
            "GW", 1e-3, "", 1.0,
            {s("requested", R, r, Metric::power_requested_mw), s("delivered", R, r, Metric::power_delivered_mw),
             s("ceiling (available)", R, r, Metric::power_available_mw, "dashed"),
             s("imported over links", R, r, Metric::power_imported_mw, "dashed")},
            s("power-bound", R, r, Metric::power_bound), "power-bound"};
    charts.push_back(c);
  }
}

// Prices: each bloc's and the world's.
void add_price_charts(const Charted& e, std::vector<Chart>& charts) {
  const auto& blocs = e.blocs;
  {
    Chart c{"price", "prices", "Price per H100e-hour",
            "Market price in each bloc; world: revenue per utilized H100e-hour.", "$ per H100e-hour", 1.0, "", 1.0,
            {}, std::nullopt, ""};
    for (const auto& b : blocs) c.series.push_back(s(b, B, b, Metric::price_usd_per_h100e_hour));
    c.series.push_back(s("world (realised)", G, "world", Metric::price_usd_per_h100e_hour, "dashed"));
    charts.push_back(c);
  }
}

// Money: capex against revenue, world and blocs; cumulative free cash flow.
void add_money_charts(const Charted& e, std::vector<Chart>& charts) {
  const auto& blocs = e.blocs;
  charts.push_back({"capex-revenue", "money", "Capex against revenue (world)",
                    "Quarterly capex (chips, sites, power) and revenue of all buyers, with EBITDA and free cash flow.",
                    "$B per quarter", billion, "", 1.0,
                    {s("capex", G, "world", Metric::capex_usd), s("revenue", G, "world", Metric::revenue_usd),
                     s("EBITDA", G, "world", Metric::ebitda_usd, "dashed"),
                     s("free cash flow", G, "world", Metric::free_cash_flow_usd, "dashed")},
                    std::nullopt, ""});
  {
    Chart c{"capex-revenue-blocs", "money", "Capex and revenue by bloc",
            "Solid: capex; dashed: revenue, per quarter.", "$B per quarter", billion, "", 1.0, {}, std::nullopt, ""};
    for (const auto& b : blocs) {
      c.series.push_back(s(b + " capex", B, b, Metric::capex_usd));
      c.series.push_back(s(b + " revenue", B, b, Metric::revenue_usd, "dashed"));
    }
    charts.push_back(c);
  }
  {
    Chart c{"cumulative-free-cash-flow", "money", "Cumulative free cash flow",
            "Free cash flow summed since the start: below zero, buyers have spent more than they earned.", "$B",
            billion, "", 1.0, {s("world", G, "world", Metric::cumulative_free_cash_flow_usd)}, std::nullopt, ""};
    for (const auto& b : blocs) c.series.push_back(s(b, B, b, Metric::cumulative_free_cash_flow_usd));
    charts.push_back(c);
  }
}

// Depreciation and the value gap (world).
void add_depreciation_charts(std::vector<Chart>& charts) {
  charts.push_back({"depreciation", "depreciation", "Book against economic depreciation (world)",
                    "Per quarter: depreciation as booked, as the chips really lose value, and impairments.",
                    "$B per quarter", billion, "", 1.0,
                    {s("book", G, "world", Metric::depreciation_book_usd),
                     s("economic", G, "world", Metric::depreciation_economic_usd),
                     s("impairment", G, "world", Metric::impairment_usd, "bar")},
                    std::nullopt, ""});
  charts.push_back({"value-gap", "depreciation", "Chips' book value, economic value and the gap (world)",
                    "The gap is book − economic value: losses the books have yet to show.", "$B", billion, "", 1.0,
                    {s("book value", G, "world", Metric::chips_book_value_usd),
                     s("economic value", G, "world", Metric::chips_economic_value_usd),
                     s("value gap", G, "world", Metric::value_gap_usd, "area")},
                    std::nullopt, ""});
}

// Vendors: orders and shipments, backlog, inventory.
void add_vendor_charts(const Charted& e, std::vector<Chart>& charts) {
  const auto& vendors = e.vendors;
  {
    Chart c{"vendor-shipments", "vendors", "Orders and shipments by vendor",
            "Solid: chips shipped per quarter; dashed: chips ordered.", "thousand chips per quarter", 1e-3, "", 1.0,
            {}, std::nullopt, ""};
    for (const auto& v : vendors) {
      c.series.push_back(s(v + " shipped", V, v, Metric::shipments_chips));
      c.series.push_back(s(v + " ordered", V, v, Metric::orders_chips, "dashed"));
    }
    charts.push_back(c);
  }
  {
    Chart c{"vendor-backlog", "vendors", "Backlog by vendor", "Chips ordered and not yet made.", "thousand chips",
            1e-3, "", 1.0, {}, std::nullopt, ""};
    for (const auto& v : vendors) c.series.push_back(s(v, V, v, Metric::backlog_chips));
    charts.push_back(c);
  }
  {
    Chart c{"vendor-inventory", "vendors", "Inventory by vendor, at cost",
            "Finished chips and materials bought ahead (wafers, memory, substrates), at cost.", "$ billion", 1e-9, "",
            1.0, {}, std::nullopt, ""};
    for (const auto& v : vendors) c.series.push_back(s(v, V, v, Metric::inventory_usd));
    charts.push_back(c);
  }
  {
    Chart c{"vendor-inventory-days", "vendors", "Days of inventory by vendor",
            "As chip makers report them: inventory at cost / cost of sales of the last four quarters × 365 (a vendor "
            "that sells little shows many days).",
            "days", 1.0, "", 1.0, {}, std::nullopt, ""};
    for (const auto& v : vendors) c.series.push_back(s(v, V, v, Metric::inventory_days));
    charts.push_back(c);
  }
}

// Bubble indicators.
void add_bubble_charts(const Charted& e, std::vector<Chart>& charts) {
  const auto& blocs = e.blocs;
  const auto& agents = e.agents;
  {
    Chart c{"bubble-capex-to-revenue", "bubble", "Capex / revenue",
            "Above 1, buyers spend more on capacity than it earns in the quarter.", "ratio", 1.0, "", 1.0,
            {s("world", G, "world", Metric::capex_to_revenue)}, std::nullopt, ""};
    for (const auto& b : blocs) c.series.push_back(s(b, B, b, Metric::capex_to_revenue));
    charts.push_back(c);
  }
  {
    Chart c{"bubble-leverage", "bubble", "Leverage by buyer", "Debt / trailing-year EBITDA.", "× EBITDA", 1.0, "",
            1.0, {}, std::nullopt, ""};
    for (const auto& a : agents) c.series.push_back(s(a, A, a, Metric::leverage));
    charts.push_back(c);
  }
  {
    Chart c{"bubble-idle-share", "bubble", "Idle share of powered compute",
            "Idle / powered compute: capacity built and energized that finds no buyer.", "%", 100.0, "", 1.0,
            {ratio("world", G, "world", Metric::idle_h100e, Metric::powered_h100e)}, std::nullopt, ""};
    for (const auto& b : blocs) c.series.push_back(ratio(b, B, b, Metric::idle_h100e, Metric::powered_h100e));
    charts.push_back(c);
  }
  charts.push_back({"bubble-circularity", "bubble", "Round-tripped money and the bullwhip",
                    "Left: share of vendors' cumulative revenue paid for by their own investments. Right: variance of "
                    "order changes / variance of demand changes (above 1, orders swing more than demand).",
                    "% of vendor revenue", 100.0, "bullwhip ratio", 1.0,
                    {s("round-tripped share", G, "world", Metric::round_tripped_share),
                     s("bullwhip ratio", G, "world", Metric::bullwhip_ratio, "dashed", 1)},
                    std::nullopt, ""});
  charts.push_back({"bubble-scissors", "bubble", "The scissors gap",
                    "Year-on-year growth of vendors' inventory at cost minus that of the clouds' revenue: above 0, the "
                    "supply chain builds stock faster than its customers' sales grow.",
                    "percentage points", 100.0, "", 1.0, {s("scissors gap", G, "world", Metric::scissors_gap)},
                    std::nullopt, ""});
  charts.push_back({"bubble-distress", "bubble", "Buyers in distress or default",
                    "Number of buyers that cannot refinance or pay their bills, and of those that defaulted.",
                    "buyers", 1.0, "", 1.0,
                    {s("distressed", G, "world", Metric::distressed), s("defaulted", G, "world", Metric::defaulted, "dashed")},
                    std::nullopt, ""});
}

// One pair of charts per buyer: its compute and its money.
void add_agent_charts(const Charted& e, std::vector<Chart>& charts) {
  const auto& agents = e.agents;
  for (const auto& a : agents) {
    charts.push_back({"agent-" + a + "-compute", "agents", a + ": compute",
                      "Installed, powered and utilized compute; shaded: stranded and idle.", "M H100e", million, "",
                      1.0, compute_series(A, a), std::nullopt, ""});
    charts.push_back({"agent-" + a + "-money", "agents", a + ": money",
                      "Quarterly revenue and capex; cumulative free cash flow, cash and debt at the quarter's end.",
                      "$B", billion, "", 1.0,
                      {s("revenue (quarter)", A, a, Metric::revenue_usd), s("capex (quarter)", A, a, Metric::capex_usd),
                       s("cumulative free cash flow", A, a, Metric::cumulative_free_cash_flow_usd, "dashed"),
                       s("cash", A, a, Metric::cash_usd, "dashed"), s("debt", A, a, Metric::debt_usd, "dashed")},
                      std::nullopt, ""});
  }
}

// Keeps what some run recorded (with quantile bands for an ensemble's lines) and drops charts left
// empty. Ids become file-name safe and unique.
std::vector<Chart> keep_recorded(const std::vector<const RunData*>& runs, std::vector<Chart> charts) {
  std::vector<Chart> out;
  std::unordered_set<std::string> taken;  // the ids in `out`
  for (auto& c : charts) {
    for (char& ch : c.id) {
      const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_';
      if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
      else if (!ok) ch = '-';
    }
    const std::string base = c.id;
    for (int i = 2; taken.count(c.id) > 0; ++i) {
      c.id = base + "-" + std::to_string(i);
    }
    std::erase_if(c.series, [&](const ChartSeries& x) { return !recorded(runs, x); });
    if (c.band && !recorded(runs, *c.band)) c.band.reset();
    if (runs.size() == 1 && runs[0]->ensemble()) {
      const std::size_t lines = c.series.size();
      for (std::size_t i = 0; i < lines; ++i) {
        const ChartSeries& line = c.series[i];
        if ((line.style != "line" && line.style != "dashed") || !line.divide_by.empty()) continue;
        if (runs[0]->quantiles(line.kind, line.entity, line.metric) == nullptr) continue;
        ChartSeries band = line;
        band.style = "band";
        c.series.push_back(std::move(band));
      }
    }
    if (!c.series.empty()) {
      taken.insert(c.id);
      out.push_back(std::move(c));
    }
  }
  return out;
}


}  // namespace

std::vector<Section> report_sections(bool per_agent) {
  std::vector<Section> out = {
      {"compute", "Compute: installed, powered, stranded, utilized, idle",
       "All compute is in effective H100-equivalents (H100e). Installed = powered + stranded; powered = utilized + idle. "
       "Stranded compute is delivered but not energized: it has no site yet, its site waits for a grid connection, or "
       "the grid is short. Idle compute is powered but finds no buyer."},
      {"utilization", "Utilization",
       "Utilization is utilized / powered compute. When it falls, compute is idle: supply has run ahead of demand at "
       "the going price."},
      {"power", "Power: requested, delivered and the ceiling",
       "For each power region: what its datacenters ask the grid for, what they get, and the most the region can give "
       "datacenters (its ceiling). Shaded quarters are power-bound: sites ask for more than the region and its links "
       "can deliver, so chips are stranded."},
      {"prices", "Price of compute",
       "The market price of one H100e-hour in each bloc, and the world's average price realised (revenue per utilized "
       "H100e-hour)."},
      {"money", "Money: capex and revenue",
       "What buyers spend on chips, sites and power (capex) against what their compute earns (revenue), per quarter, "
       "and the free cash flow that results."},
      {"depreciation", "Depreciation and the value gap",
       "Book depreciation spreads a chip's cost over its book life; economic depreciation over the life it really "
       "earns. When book life is longer, books overstate the fleet's value: the gap is earnings not yet recognised as "
       "lost."},
      {"vendors", "Chip vendors: shipments, backlog, inventory",
       "Orders and shipments of each vendor (in chips), its backlog of orders not yet made, and its inventory at cost "
       "and in days of cost of sales. Inventory that builds while orders fall is the bullwhip."},
      {"bubble", "Bubble indicators",
       "Signs that spending runs ahead of earnings: capex far above revenue, rising leverage, idle compute, money that "
       "goes round in circles (vendors' revenue paid by their own investments), orders swinging more than demand, "
       "vendors' stock growing faster than their customers' revenue (the scissors gap), and buyers in distress."},
  };
  if (per_agent) {
    out.push_back({"agents", "Each buyer",
                   "One pair of charts per buyer of chips: its compute, and its money (revenue, capex, cumulative free "
                   "cash flow, cash and debt)."});
  }
  return out;
}

std::vector<Chart> report_charts(const std::vector<const RunData*>& runs, bool per_agent) {
  const Charted e{entities(runs, B), entities(runs, R), entities(runs, A), entities(runs, V)};
  std::vector<Chart> charts;
  add_compute_charts(e, charts);
  add_utilization_charts(e, charts);
  add_power_charts(e, charts);
  add_price_charts(e, charts);
  add_money_charts(e, charts);
  add_depreciation_charts(charts);
  add_vendor_charts(e, charts);
  add_bubble_charts(e, charts);
  if (per_agent) add_agent_charts(e, charts);
  return keep_recorded(runs, std::move(charts));
}

}  // namespace aidc
