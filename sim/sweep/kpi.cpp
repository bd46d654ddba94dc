#include "aidc/sweep/kpi.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

#include "aidc/text/diagnostic.hpp"
#include "aidc/text/number.hpp"

namespace aidc::sweep {

namespace {
constexpr Metric summed[] = {Metric::revenue_usd, Metric::capex_usd, Metric::power_opex_usd, Metric::free_cash_flow_usd};
constexpr Metric maximized[] = {Metric::stranded_h100e, Metric::unmet_demand_h100e, Metric::price_usd_per_h100e_hour};
}  // namespace

std::vector<std::pair<std::string, double>> run_kpis(const Recorder& recorder) {
  const auto& samples = recorder.samples();
  std::array<std::optional<double>, metric_count> end{};
  std::array<double, metric_count> sum{}, max{};
  max.fill(-INFINITY);
  std::int32_t last = INT32_MIN;
  for (const auto& s : samples) last = std::max(last, s.quarter);
  for (const auto& s : samples) {
    if (s.kind != EntityKind::global) continue;
    const auto m = static_cast<std::size_t>(s.metric);
    sum[m] += s.value;
    max[m] = std::max(max[m], s.value);
    if (s.quarter == last) end[m] = s.value;
  }
  std::vector<std::pair<std::string, double>> out;
  for (std::size_t m = 0; m < metric_count; ++m) {
    if (end[m]) out.emplace_back("end_" + std::string(metric_name(static_cast<Metric>(m))), *end[m]);
  }
  for (const Metric m : summed) {
    if (end[static_cast<std::size_t>(m)]) out.emplace_back("sum_" + std::string(metric_name(m)), sum[static_cast<std::size_t>(m)]);
  }
  for (const Metric m : maximized) {
    if (end[static_cast<std::size_t>(m)]) out.emplace_back("max_" + std::string(metric_name(m)), max[static_cast<std::size_t>(m)]);
  }
  return out;
}

std::optional<KpiExpression> parse_kpi_expression(std::string_view text, std::string& problem) {
  const std::string expected = "expected METRIC[@ENTITY][:PERIOD]=STAT, e.g. idle_h100e@us:2028=mean";
  KpiExpression e;
  e.text = std::string(text);
  const auto eq = text.rfind('=');
  if (eq == std::string_view::npos) {
    problem = "no '=STAT'; " + expected;
    return std::nullopt;
  }
  const std::string_view stat = text.substr(eq + 1);
  static const std::pair<std::string_view, KpiExpression::Stat> stats[] = {
      {"mean", KpiExpression::Stat::mean}, {"sum", KpiExpression::Stat::sum},     {"min", KpiExpression::Stat::min},
      {"max", KpiExpression::Stat::max},   {"first", KpiExpression::Stat::first}, {"last", KpiExpression::Stat::last}};
  bool found = false;
  for (const auto& [name, s] : stats) {
    if (name == stat) e.stat = s, found = true;
  }
  if (!found) {
    problem = "unknown statistic '" + std::string(stat) + "'" +
              (closest_name(stat, {"mean", "sum", "min", "max", "first", "last"})
                   ? " (did you mean '" + *closest_name(stat, {"mean", "sum", "min", "max", "first", "last"}) + "'?)"
                   : std::string()) +
              "; expected mean, sum, min, max, first or last";
    return std::nullopt;
  }
  std::string_view rest = text.substr(0, eq);
  const auto colon = rest.find(':');
  if (colon != std::string_view::npos) {
    const std::string_view period = rest.substr(colon + 1);
    rest = rest.substr(0, colon);
    const auto dash = period.find('-');
    const auto bound = [&](std::string_view t, bool first) -> std::optional<std::int32_t> {
      if (const auto q = Quarter::parse(t)) return q->index();
      const auto y = parse_whole(t);
      if (!y || *y < static_cast<std::uint64_t>(Quarter::min_year) || *y > static_cast<std::uint64_t>(Quarter::max_year)) {
        return std::nullopt;
      }
      return Quarter(static_cast<int>(*y), first ? 1 : 4).index();
    };
    const auto a = bound(period.substr(0, dash), true);
    const auto b = bound(dash == std::string_view::npos ? period : period.substr(dash + 1), false);
    if (!a || !b || *b < *a) {
      problem = "period '" + std::string(period) + "' is not a year (2028), a quarter (2028Q3) or a window of them (2026-2028)";
      return std::nullopt;
    }
    e.first_quarter = *a, e.last_quarter = *b;
  }
  const auto at = rest.find('@');
  if (at != std::string_view::npos) {
    e.entity = std::string(rest.substr(at + 1));
    if (e.entity.empty()) {
      problem = "no entity after '@'; " + expected;
      return std::nullopt;
    }
    if (e.entity == "world") e.entity.clear();
    rest = rest.substr(0, at);
  }
  std::vector<std::string> metrics;
  for (std::size_t m = 0; m < metric_count; ++m) {
    metrics.emplace_back(metric_name(static_cast<Metric>(m)));
    if (metrics.back() == rest) {
      e.metric = static_cast<Metric>(m);
      return e;
    }
  }
  const auto close = closest_name(rest, metrics);
  problem = "unknown metric '" + std::string(rest) + "'" + (close ? " (did you mean '" + *close + "'?)" : std::string()) +
            "; " + expected;
  return std::nullopt;
}

double evaluate_kpi(const KpiExpression& e, const Recorder& recorder) {
  const auto& names = recorder.entity_names();
  double sum = 0.0, lo = INFINITY, hi = -INFINITY, first = NAN, last = NAN;
  std::int32_t first_q = INT32_MAX, last_q = INT32_MIN;
  std::size_t n = 0;
  // A name two kinds of entity share (a bloc and a region) means the first kind of the two.
  auto kind = EntityKind::global;
  if (!e.entity.empty()) {
    kind = EntityKind::vendor;
    for (const auto& s : recorder.samples()) {
      if (s.metric == e.metric && s.kind != EntityKind::global && s.kind < kind && names[s.entity] == e.entity) kind = s.kind;
    }
  }
  for (const auto& s : recorder.samples()) {
    if (s.metric != e.metric || s.quarter < e.first_quarter || s.quarter > e.last_quarter || s.kind != kind) continue;
    if (!e.entity.empty() && names[s.entity] != e.entity) continue;
    sum += s.value, lo = std::min(lo, s.value), hi = std::max(hi, s.value), ++n;
    if (s.quarter < first_q) first_q = s.quarter, first = s.value;
    if (s.quarter >= last_q) last_q = s.quarter, last = s.value;
  }
  if (n == 0) return NAN;
  switch (e.stat) {
    case KpiExpression::Stat::mean: return sum / static_cast<double>(n);
    case KpiExpression::Stat::sum: return sum;
    case KpiExpression::Stat::min: return lo;
    case KpiExpression::Stat::max: return hi;
    case KpiExpression::Stat::first: return first;
    case KpiExpression::Stat::last: return last;
  }
  return NAN;
}

std::vector<std::pair<std::string, double>> run_kpis(const Recorder& recorder, const std::vector<KpiExpression>& expressions) {
  auto out = run_kpis(recorder);
  for (const auto& e : expressions) out.emplace_back(e.text, evaluate_kpi(e, recorder));
  return out;
}

std::vector<KpiExpression> kpi_expressions(const std::vector<std::string>& kpis) {
  std::vector<KpiExpression> out;
  std::string problem;
  for (const auto& k : kpis) {
    if (!is_kpi_expression(k)) continue;
    if (auto e = parse_kpi_expression(k, problem)) out.push_back(std::move(*e));
  }
  return out;
}

std::vector<std::string> kpi_names() {
  std::vector<std::string> out;
  for (std::size_t m = 0; m < metric_count; ++m) out.push_back("end_" + std::string(metric_name(static_cast<Metric>(m))));
  for (const Metric m : summed) out.push_back("sum_" + std::string(metric_name(m)));
  for (const Metric m : maximized) out.push_back("max_" + std::string(metric_name(m)));
  return out;
}

std::string series_lines(const Recorder& recorder, std::size_t run, const std::vector<std::string>& metrics) {
  std::string out;
  if (metrics.empty()) return out;
  std::array<bool, metric_count> keep{};
  for (std::size_t m = 0; m < metric_count; ++m) {
    const auto name = metric_name(static_cast<Metric>(m));
    keep[m] = std::find(metrics.begin(), metrics.end(), "all") != metrics.end() ||
              std::find(metrics.begin(), metrics.end(), name) != metrics.end();
  }
  const auto& names = recorder.entity_names();
  for (const auto& s : recorder.samples()) {
    if (!keep[static_cast<std::size_t>(s.metric)]) continue;
    fmt::format_to(std::back_inserter(out), "{},{},{},{},{},{}\n", run, Quarter::from_index(s.quarter).str(),
                   entity_kind_names[static_cast<std::size_t>(s.kind)], names[s.entity], metric_name(s.metric), s.value);
  }
  return out;
}

}  // namespace aidc::sweep
