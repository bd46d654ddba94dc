#include "aidc/calibrate/backtest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "aidc/text/csv.hpp"
#include "figure_format.hpp"

namespace aidc {

bool Backtest::inside_band(std::size_t k) const {
  return aidc::inside_band(spreads[k], targets[k].value);
}

Backtest run_backtest(const ScenarioSpec& spec, const std::vector<Target>& targets, const std::vector<std::uint64_t>& seeds,
                      const std::optional<FitWindow>& fit_window, std::size_t jobs) {
  Backtest b;
  b.scenario = spec.name;
  b.seeds = seeds;
  b.fit_window = fit_window;
  b.targets = targets;
  b.in_sample = in_sample_mask(targets, fit_window);
  b.spreads = run_target_ensemble(spec, targets, seeds, jobs).spreads();
  b.errors = median_errors(b.spreads, targets);
  return b;
}

namespace {

std::string series_name(const Target& t) {
  return std::string(entity_kind_names[static_cast<std::size_t>(t.entity_kind)]) + " " + t.entity + " " +
         std::string(metric_name(t.metric));
}

using calibrate_format::percent;
using calibrate_format::short_value;

// RMS of the errors and count inside the band over the targets `pick` selects.
template <class Pick>
std::string summary_row(const Backtest& b, const std::string& label, Pick pick) {
  double sum = 0.0;
  std::size_t n = 0, inside = 0;
  for (std::size_t k = 0; k < b.targets.size(); ++k) {
    if (!pick(k)) continue;
    sum += b.errors[k] * b.errors[k];
    ++n;
    inside += b.inside_band(k) ? 1 : 0;
  }
  if (n == 0) return "";
  return fmt::format("  {:<36} {:>8} {:>8}   {} of {}\n", label, n, percent(std::sqrt(sum / static_cast<double>(n))),
                     inside, n);
}

}  // namespace

std::string format_backtest_text(const Backtest& b) {
  std::string out = fmt::format("Back-test of {} against {} targets, ensemble of {} seeds", b.scenario, b.targets.size(),
                                b.seeds.size());
  if (!b.seeds.empty()) out += fmt::format(" ({}–{})", b.seeds.front(), b.seeds.back());
  out += b.fit_window ? "; fit window " + b.fit_window->str() + "\n\n" : "; no fit window (every target in sample)\n\n";
  out += fmt::format("  {:<7} {:<36} {:<10} {:>8}  {:<28} {:>8}  {}\n", "quarter", "series", "window", "record",
                     "median [5%–95%]", "error", "in band");
  for (std::size_t k = 0; k < b.targets.size(); ++k) {
    const Target& t = b.targets[k];
    const Spread& s = b.spreads[k];
    const std::string band = short_value(s.p50) + " [" + short_value(s.p05) + "–" + short_value(s.p95) + "]";
    out += fmt::format("  {:<7} {:<36} {:<10} {:>8}  {:<28} {:>+7.1f}%  {}\n", t.quarter.str(), series_name(t),
                       b.in_sample[k] ? "fit" : "validation", short_value(t.value), band, 100.0 * b.errors[k],
                       b.inside_band(k) ? "yes" : "no");
  }
  out += fmt::format("\nRMS relative error of the ensemble median, and targets inside the 5–95% band:\n");
  out += fmt::format("  {:<36} {:>8} {:>8}   {}\n", "", "targets", "RMS", "in band");
  out += summary_row(b, "all", [](std::size_t) { return true; });
  if (b.fit_window) {
    out += summary_row(b, "in sample (" + b.fit_window->str() + ")", [&](std::size_t k) { return bool(b.in_sample[k]); });
    out += summary_row(b, "out of sample", [&](std::size_t k) { return !b.in_sample[k]; });
  }
  std::map<int, bool> years;
  for (const auto& t : b.targets) years[t.quarter.year()] = true;
  for (const auto& [year, _] : years) {
    out += summary_row(b, std::to_string(year), [&, y = year](std::size_t k) { return b.targets[k].quarter.year() == y; });
  }
  std::vector<std::string> series;
  for (const auto& t : b.targets) {
    if (std::find(series.begin(), series.end(), series_name(t)) == series.end()) series.push_back(series_name(t));
  }
  for (const auto& name : series) {
    out += summary_row(b, name, [&](std::size_t k) { return series_name(b.targets[k]) == name; });
  }
  return out;
}

std::string format_backtest_csv(const Backtest& b) {
  std::string out = "quarter,entity_kind,entity,metric,window,record,p05,p25,p50,p75,p95,error,in_band\n";
  for (std::size_t k = 0; k < b.targets.size(); ++k) {
    const Target& t = b.targets[k];
    const Spread& s = b.spreads[k];
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{}\n", t.quarter.str(),
                       entity_kind_names[static_cast<std::size_t>(t.entity_kind)], csv_field(t.entity),
                       metric_name(t.metric), b.in_sample[k] ? "fit" : "validation", t.value, s.p05, s.p25, s.p50, s.p75,
                       s.p95, b.errors[k], b.inside_band(k) ? 1 : 0);
  }
  return out;
}

}  // namespace aidc
