#include "aidc/calibrate/stylized_facts.hpp"

#include <algorithm>
#include <limits>
#include <set>

#include "aidc/report/quantile.hpp"

namespace aidc {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

const std::map<Quarter, double>* find(const SeriesTable& t, EntityKind kind, std::string_view entity, Metric metric) {
  const auto it = t.find(SeriesKey{kind, std::string(entity), metric});
  return it == t.end() ? nullptr : &it->second;
}

std::optional<double> at(const SeriesTable& t, EntityKind kind, std::string_view entity, Metric metric, Quarter q) {
  const auto* s = find(t, kind, entity, metric);
  if (s == nullptr) return std::nullopt;
  const auto it = s->find(q);
  if (it == s->end()) return std::nullopt;
  return it->second;
}

// The four quarters of `year`, or none if one is missing.
std::optional<std::vector<double>> year_values(const SeriesTable& t, EntityKind kind, std::string_view entity,
                                               Metric metric, int year) {
  std::vector<double> out;
  for (int q = 1; q <= 4; ++q) {
    const auto v = at(t, kind, entity, metric, Quarter(year, q));
    if (!v) return std::nullopt;
    out.push_back(*v);
  }
  return out;
}

std::optional<double> year_sum(const SeriesTable& t, EntityKind kind, std::string_view entity, Metric metric, int year) {
  const auto v = year_values(t, kind, entity, metric, year);
  if (!v) return std::nullopt;
  double sum = 0.0;
  for (double x : *v) sum += x;
  return sum;
}

std::optional<double> year_mean(const SeriesTable& t, EntityKind kind, std::string_view entity, Metric metric, int year) {
  const auto s = year_sum(t, kind, entity, metric, year);
  if (!s) return std::nullopt;
  return *s / 4.0;
}

std::optional<double> year_max(const SeriesTable& t, EntityKind kind, std::string_view entity, Metric metric, int year) {
  const auto v = year_values(t, kind, entity, metric, year);
  if (!v) return std::nullopt;
  return *std::max_element(v->begin(), v->end());
}

// a / b, none if either is missing or b is not positive.
std::optional<double> ratio(std::optional<double> a, std::optional<double> b) {
  if (!a || !b || !(*b > 0.0)) return std::nullopt;
  return *a / *b;
}

constexpr auto G = EntityKind::global;
constexpr auto B = EntityKind::bloc;
constexpr auto R = EntityKind::region;
constexpr auto A = EntityKind::agent;
constexpr auto V = EntityKind::vendor;

std::vector<StylizedFact> make_facts() {
  std::vector<StylizedFact> facts;
  facts.push_back(
      {"us_spot_price_falls",
       "bloc us price_usd_per_h100e_hour: mean of 2025 / mean of 2023 < 1",
       "data/record/demand.csv demand.h100_rental.peak ($8/h in 2023), demand.tco.h100 ($2.3/h all-in)",
       {Metric::price_usd_per_h100e_hour},
       [](const SeriesTable& t) {
         return ratio(year_mean(t, B, "us", Metric::price_usd_per_h100e_hour, 2025),
                      year_mean(t, B, "us", Metric::price_usd_per_h100e_hour, 2023));
       },
       -infinity, 1.0});
  facts.push_back(
      {"us_spot_price_peaks_in_2023",
       "bloc us price_usd_per_h100e_hour: highest quarter of 2023 / highest of 2024-2025 > 1",
       "data/record/demand.csv demand.h100_rental.launch ($4.7/h), demand.h100_rental.peak (above $8/h in 2023)",
       {Metric::price_usd_per_h100e_hour},
       [](const SeriesTable& t) -> std::optional<double> {
         const auto p2024 = year_max(t, B, "us", Metric::price_usd_per_h100e_hour, 2024);
         const auto p2025 = year_max(t, B, "us", Metric::price_usd_per_h100e_hour, 2025);
         if (!p2024 || !p2025) return std::nullopt;
         return ratio(year_max(t, B, "us", Metric::price_usd_per_h100e_hour, 2023), std::max(*p2024, *p2025));
       },
       1.0, infinity});
  facts.push_back(
      {"hyperscaler_capex_rises",
       "agent capex_usd of microsoft, alphabet, amazon, meta: smallest ratio 2024 / 2023 (calendar-year sums) > 1",
       "data/record/capex.csv capex.<firm>.2023q1-2024q4 (each firm's 2024 capex is 1.4-1.6x its 2023)",
       {Metric::capex_usd},
       [](const SeriesTable& t) -> std::optional<double> {
         double smallest = infinity;
         for (const char* firm : {"microsoft", "alphabet", "amazon", "meta"}) {
           const auto r = ratio(year_sum(t, A, firm, Metric::capex_usd, 2024), year_sum(t, A, firm, Metric::capex_usd, 2023));
           if (!r) return std::nullopt;
           smallest = std::min(smallest, *r);
         }
         return smallest;
       },
       1.0, infinity});
  facts.push_back(
      {"nvidia_revenue_rises_every_quarter",
       "vendor nvidia revenue_usd: smallest quarter-on-quarter ratio 2023Q1-2024Q4 > 1",
       "data/record/finance.csv finance.nvidia.dc_revenue.fy2024q1-fy2025q4 ($4.3B to $35.6B, up every quarter)",
       {Metric::revenue_usd},
       [](const SeriesTable& t) -> std::optional<double> {
         double smallest = infinity;
         for (Quarter q(2023, 2); q <= Quarter(2024, 4); ++q) {
           const auto r = ratio(at(t, V, "nvidia", Metric::revenue_usd, q), at(t, V, "nvidia", Metric::revenue_usd, q - 1));
           if (!r) return std::nullopt;
           smallest = std::min(smallest, *r);
         }
         return smallest;
       },
       1.0, infinity});
  facts.push_back(
      {"us_power_binds_by_2025",
       "region us-* power_bound: quarters of 2025 with a region bound (value >= 0.5), summed over the US regions > 0",
       "data/record/power.csv power.binding.2025 (power, not chip output, is the binding constraint)",
       {Metric::power_bound},
       [](const SeriesTable& t) -> std::optional<double> {
         std::optional<double> bound;
         for (const auto& [key, series] : t) {
           if (key.kind != R || key.metric != Metric::power_bound || !key.entity.starts_with("us-")) continue;
           const auto v = year_values(t, R, key.entity, Metric::power_bound, 2025);
           if (!v) return std::nullopt;
           bound = bound.value_or(0.0) + static_cast<double>(std::count_if(v->begin(), v->end(), [](double x) { return x >= 0.5; }));
         }
         return bound;
       },
       0.0, infinity});
  facts.push_back(
      {"china_icc_underused",
       "agent utilization_installed, mean of 2025: china-icc / china-clouds < 0.5",
       "data/record/china.csv china.icc.in_production.2025q1, china.icc.projects.2025q1 (16 of 165 projects in production)",
       {Metric::utilization_installed},
       [](const SeriesTable& t) {
         return ratio(year_mean(t, A, "china-icc", Metric::utilization_installed, 2025),
                      year_mean(t, A, "china-clouds", Metric::utilization_installed, 2025));
       },
       -infinity, 0.5});
  facts.push_back(
      {"nvidia_inventory_days_2024_01",
       "vendor nvidia inventory_days in 2023Q4 (NVIDIA's fiscal year end, Jan 2024) within a factor 2 of 115: 57.5-230",
       "data/record/finance.csv finance.nvidia.inventory_days.2024-01 (115 days)",
       {Metric::inventory_days},
       [](const SeriesTable& t) { return at(t, V, "nvidia", Metric::inventory_days, Quarter(2023, 4)); },
       57.5, 230.0});
  facts.push_back(
      {"bullwhip_above_one",
       "global world bullwhip_ratio in 2025Q4 (orders' log changes vs end demand's since the start) > 1",
       "docs/model.md section 9 (bullwhip ratio), docs/outputs.md bullwhip_ratio (above 1: orders swing more than demand)",
       {Metric::bullwhip_ratio},
       [](const SeriesTable& t) { return at(t, G, "world", Metric::bullwhip_ratio, Quarter(2025, 4)); },
       1.0, infinity});
  return facts;
}

}  // namespace

const std::vector<StylizedFact>& stylized_facts() {
  static const std::vector<StylizedFact> facts = make_facts();
  return facts;
}

std::string_view FactResult::status(const StylizedFact& fact) const noexcept {
  if (!value) return "n/a";
  return fact.holds(*value) ? "pass" : "fail";
}

SeriesTable fact_series(const Recorder& recorder, const std::vector<StylizedFact>& facts) {
  std::set<Metric> wanted;
  for (const auto& f : facts) wanted.insert(f.metrics.begin(), f.metrics.end());
  SeriesTable out;
  const auto& names = recorder.entity_names();
  for (const auto& s : recorder.samples()) {
    if (!wanted.contains(s.metric)) continue;
    out[SeriesKey{s.kind, names[s.entity], s.metric}][Quarter::from_index(s.quarter)] = s.value;
  }
  return out;
}

SeriesTable median_series(const std::vector<SeriesTable>& seeds) {
  std::map<SeriesKey, std::map<Quarter, std::vector<double>>> values;
  for (const auto& table : seeds) {
    for (const auto& [key, series] : table) {
      for (const auto& [q, v] : series) values[key][q].push_back(v);
    }
  }
  SeriesTable out;
  for (auto& [key, series] : values) {
    for (auto& [q, v] : series) out[key][q] = spread_of(std::move(v)).p50;
  }
  return out;
}

std::vector<FactResult> evaluate_facts(const std::vector<StylizedFact>& facts, const std::vector<SeriesTable>& seeds) {
  const SeriesTable median = median_series(seeds);
  std::vector<FactResult> out;
  out.reserve(facts.size());
  for (const auto& fact : facts) {
    FactResult r;
    r.value = fact.measure(median);
    for (const auto& table : seeds) {
      const auto v = fact.measure(table);
      if (!v) continue;
      ++r.seeds_measured;
      r.seeds_holding += fact.holds(*v) ? 1 : 0;
    }
    out.push_back(r);
  }
  return out;
}

}  // namespace aidc
