#include "aidc/calibrate/backtest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "aidc/report/human_format.hpp"
#include "aidc/run/parallel_for.hpp"
#include "aidc/run/run_scenario.hpp"
#include "aidc/text/csv.hpp"
#include "figure_format.hpp"

namespace aidc {

bool Backtest::inside_band(std::size_t k) const {
  return aidc::inside_band(spreads[k], targets[k].value);
}

Backtest run_backtest(const ScenarioSpec& spec, const std::vector<Target>& targets, const std::vector<std::uint64_t>& seeds,
                      const std::optional<FitWindow>& fit_window, std::size_t jobs) {
  const auto& facts = stylized_facts();
  const std::size_t n = seeds.size();
  TargetEnsemble ensemble;
  ensemble.values.assign(targets.size(), std::vector<double>(n));
  std::vector<SeriesTable> fact_tables(n);
  parallel_for(n, jobs, [&](std::size_t i) {
    const RunResult run = run_scenario(spec, seeds[i]);
    const auto values = target_values(run, targets);
    for (std::size_t k = 0; k < targets.size(); ++k) ensemble.values[k][i] = values[k];
    fact_tables[i] = fact_series(run.recorder, facts);
  });
  Backtest b;
  b.scenario = spec.name;
  b.seeds = seeds;
  b.fit_window = fit_window;
  b.targets = targets;
  b.in_sample = in_sample_mask(targets, fit_window);
  b.spreads = ensemble.spreads();
  b.errors = median_errors(b.spreads, targets);
  b.facts = evaluate_facts(facts, fact_tables);
  return b;
}

namespace {

std::string series_name(const Target& t) {
  return std::string(entity_kind_names[static_cast<std::size_t>(t.entity_kind)]) + " " + t.entity + " " +
         std::string(metric_name(t.metric));
}

using calibrate_format::percent;
using calibrate_format::short_value;

// The RMS error of the median and the count inside the band over the targets `pick` selects.
struct SummaryRow {
  std::string label;
  std::size_t targets = 0;
  double rms = 0.0;
  std::size_t inside = 0;
};

template <class Pick>
void add_summary_row(std::vector<SummaryRow>& rows, const Backtest& b, const std::string& label, Pick pick) {
  SummaryRow row{label};
  double sum = 0.0;
  for (std::size_t k = 0; k < b.targets.size(); ++k) {
    if (!pick(k)) continue;
    sum += b.errors[k] * b.errors[k];
    ++row.targets;
    row.inside += b.inside_band(k) ? 1 : 0;
  }
  if (row.targets == 0) return;
  row.rms = std::sqrt(sum / static_cast<double>(row.targets));
  rows.push_back(row);
}

// Every target; in and out of sample; by year; by series.
std::vector<SummaryRow> summary_rows(const Backtest& b) {
  std::vector<SummaryRow> rows;
  add_summary_row(rows, b, "all", [](std::size_t) { return true; });
  if (b.fit_window) {
    add_summary_row(rows, b, "in sample (" + b.fit_window->str() + ")", [&](std::size_t k) { return bool(b.in_sample[k]); });
    add_summary_row(rows, b, "out of sample", [&](std::size_t k) { return !b.in_sample[k]; });
  }
  std::map<int, bool> years;
  for (const auto& t : b.targets) years[t.quarter.year()] = true;
  for (const auto& [year, _] : years) {
    add_summary_row(rows, b, std::to_string(year), [&, y = year](std::size_t k) { return b.targets[k].quarter.year() == y; });
  }
  std::vector<std::string> series;
  for (const auto& t : b.targets) {
    if (std::find(series.begin(), series.end(), series_name(t)) == series.end()) series.push_back(series_name(t));
  }
  for (const auto& name : series) {
    add_summary_row(rows, b, name, [&](std::size_t k) { return series_name(b.targets[k]) == name; });
  }
  return rows;
}

// A fact's measure for the tables: 4 significant figures, "n/a" when it could not be measured.
std::string fact_value(const FactResult& r) { return r.value ? fmt::format("{:.4g}", *r.value) : "n/a"; }

std::string seeds_holding(const FactResult& r) {
  return r.seeds_measured == 0 ? "n/a" : fmt::format("{} of {}", r.seeds_holding, r.seeds_measured);
}

std::string header_line(const Backtest& b) {
  std::string out = fmt::format("Back-test of {} against {} targets, ensemble of {} seeds", b.scenario, b.targets.size(),
                                b.seeds.size());
  if (!b.seeds.empty()) out += fmt::format(" ({}–{})", b.seeds.front(), b.seeds.back());
  out += b.fit_window ? "; fit window " + b.fit_window->str() : "; no fit window (every target in sample)";
  return out;
}

}  // namespace

std::string format_backtest_text(const Backtest& b) {
  std::string out = header_line(b) + "\n\n";
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
  for (const auto& row : summary_rows(b)) {
    out += fmt::format("  {:<36} {:>8} {:>8}   {} of {}\n", row.label, row.targets, percent(row.rms), row.inside, row.targets);
  }
  const auto& facts = stylized_facts();
  std::size_t passing = 0;
  for (std::size_t f = 0; f < facts.size(); ++f) passing += b.facts[f].status(facts[f]) == "pass" ? 1 : 0;
  out += fmt::format("\nStylized facts: {} of {} hold on the ensemble median (value: the rule's measure on the median "
                     "series; seeds: where it holds)\n",
                     passing, facts.size());
  out += fmt::format("  {:<36} {:>10}  {:<6} {}\n", "fact", "value", "status", "seeds");
  for (std::size_t f = 0; f < facts.size(); ++f) {
    out += fmt::format("  {:<36} {:>10}  {:<6} {}\n      rule: {}\n      source: {}\n", facts[f].name,
                       fact_value(b.facts[f]), b.facts[f].status(facts[f]), seeds_holding(b.facts[f]), facts[f].rule,
                       facts[f].source);
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

std::string format_facts_csv(const Backtest& b) {
  const auto& facts = stylized_facts();
  std::string out = "fact,rule,source,value,status,seeds_measured,seeds_holding\n";
  for (std::size_t f = 0; f < facts.size(); ++f) {
    const FactResult& r = b.facts[f];
    out += fmt::format("{},{},{},{},{},{},{}\n", csv_field(facts[f].name), csv_field(facts[f].rule),
                       csv_field(facts[f].source), r.value ? fmt::format("{}", *r.value) : "", r.status(facts[f]),
                       r.seeds_measured, r.seeds_holding);
  }
  return out;
}

std::string format_backtest_html(const Backtest& b) {
  const auto& facts = stylized_facts();
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Back-test of " +
      html_escape(b.scenario) +
      "</title>\n<style>\n"
      "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:80em}\n"
      "table{border-collapse:collapse;margin:1em 0}th,td{padding:.25em .6em;border-bottom:1px solid #ddd;"
      "text-align:left;vertical-align:top}\ntd.num{text-align:right;font-variant-numeric:tabular-nums}\n"
      ".pass{color:#1a7f37;font-weight:bold}.fail{color:#c62828;font-weight:bold}.na{color:#777}\n"
      "small{color:#555}\n</style>\n</head>\n<body>\n";
  out += "<h1>Back-test of " + html_escape(b.scenario) + "</h1>\n<p>" + html_escape(header_line(b)) + ".</p>\n";
  out += "<section id=\"stylized-facts\">\n<h2>Stylized facts</h2>\n<p>Each rule is checked on the median of every "
         "series across the seeds (value: the rule's measure); seeds: those where it holds, of those where it could "
         "be measured.</p>\n<table>\n<thead><tr><th>fact</th><th>value</th><th>status</th><th>seeds</th>"
         "<th>rule and source</th></tr></thead>\n<tbody>\n";
  for (std::size_t f = 0; f < facts.size(); ++f) {
    const FactResult& r = b.facts[f];
    const std::string status(r.status(facts[f]));
    out += fmt::format("<tr><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"{}\">{}</td><td>{}</td>"
                       "<td>{}<br><small>{}</small></td></tr>\n",
                       html_escape(facts[f].name), fact_value(r), status == "n/a" ? "na" : status, status,
                       seeds_holding(r), html_escape(facts[f].rule), html_escape(facts[f].source));
  }
  out += "</tbody>\n</table>\n</section>\n";
  out += "<section id=\"summary\">\n<h2>Errors by window, year and series</h2>\n<p>RMS relative error of the "
         "ensemble median, and targets whose record lies inside the ensemble's 5–95% band.</p>\n<table>\n<thead><tr>"
         "<th>targets</th><th>n</th><th>RMS</th><th>in band</th></tr></thead>\n<tbody>\n";
  for (const auto& row : summary_rows(b)) {
    out += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{} of {}</td></tr>\n",
                       html_escape(row.label), row.targets, percent(row.rms), row.inside, row.targets);
  }
  out += "</tbody>\n</table>\n</section>\n";
  out += "<section id=\"targets\">\n<h2>Targets</h2>\n<table>\n<thead><tr><th>quarter</th><th>series</th>"
         "<th>window</th><th>record</th><th>median [5%–95%]</th><th>error</th><th>in band</th></tr></thead>\n<tbody>\n";
  for (std::size_t k = 0; k < b.targets.size(); ++k) {
    const Target& t = b.targets[k];
    const Spread& s = b.spreads[k];
    out += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{} [{}–{}]</td>"
                       "<td class=\"num\">{:+.1f}%</td><td>{}</td></tr>\n",
                       t.quarter.str(), html_escape(series_name(t)), b.in_sample[k] ? "fit" : "validation",
                       short_value(t.value), short_value(s.p50), short_value(s.p05), short_value(s.p95),
                       100.0 * b.errors[k], b.inside_band(k) ? "yes" : "no");
  }
  out += "</tbody>\n</table>\n</section>\n</body>\n</html>\n";
  return out;
}

}  // namespace aidc
