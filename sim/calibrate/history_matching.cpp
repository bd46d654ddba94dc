#include "aidc/calibrate/history_matching.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "aidc/output/atomic_file.hpp"
#include "aidc/output/run_info.hpp"
#include "aidc/report/quantile.hpp"
#include "aidc/run/parallel_for.hpp"
#include "aidc/run/run_scenario.hpp"
#include "aidc/scenario/loader.hpp"
#include "aidc/sweep/design.hpp"
#include "aidc/sweep/shard.hpp"
#include "aidc/text/csv.hpp"
#include "aidc/text/limits.hpp"
#include "aidc/text/number.hpp"
#include "aidc/text/text_file.hpp"
#include "figure_format.hpp"

namespace aidc {

double implausibility(double median, double variance, double record, double tolerance_share) {
  const double miss = std::abs(median - record);
  if (miss == 0.0) return 0.0;
  const double tolerance = tolerance_share * std::abs(record);
  const double scale = std::sqrt(tolerance * tolerance + variance);
  return scale > 0.0 ? miss / scale : std::numeric_limits<double>::infinity();
}

double sample_variance(const std::vector<double>& values) {
  const std::size_t n = values.size();
  if (n < 2) return 0.0;
  double mean = 0.0;
  for (const double v : values) mean += v;
  mean /= static_cast<double>(n);
  double sum = 0.0;
  for (const double v : values) sum += (v - mean) * (v - mean);
  return sum / static_cast<double>(n - 1);
}

std::size_t MatchWave::kept() const {
  return static_cast<std::size_t>(
      std::count_if(points.begin(), points.end(), [](const MatchPoint& p) { return p.kept; }));
}

std::vector<const MatchPoint*> HistoryMatch::posterior() const {
  std::vector<const MatchPoint*> out;
  if (waves.empty()) return out;
  for (const auto& p : waves.back().points) {
    if (p.kept) out.push_back(&p);
  }
  return out;
}

double HistoryMatch::posterior_quantile(std::size_t i, double p) const {
  std::vector<double> values;
  for (const auto* point : posterior()) values.push_back(point->x[i]);
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  return quantile_sorted(values, p);
}

const MatchPoint* best_match(const HistoryMatch& h) {
  const MatchPoint* best = nullptr;
  for (const auto* p : h.posterior()) {
    if (best == nullptr || p->max_implausibility < best->max_implausibility) best = p;
  }
  return best;
}

namespace {

// Each target's tolerance share: its own, or the default.
std::vector<double> tolerances(const std::vector<Target>& targets, double fallback) {
  std::vector<double> out;
  for (const auto& t : targets) out.push_back(std::isnan(t.tolerance) ? fallback : t.tolerance);
  return out;
}

// `points` Latin-hypercube sets in the box [lower, upper], from the sweep engine's design.
std::vector<std::vector<double>> latin_hypercube_in(const std::vector<double>& lower, const std::vector<double>& upper,
                                                    std::size_t points, std::uint64_t seed) {
  sweep::SweepSpec spec;
  spec.source = "history matching";
  spec.design = sweep::Design::latin_hypercube;
  spec.samples = points;
  spec.seed = seed;
  for (std::size_t i = 0; i < lower.size(); ++i) {
    sweep::SweepParameter p;
    p.path = fmt::format("x{}", i);
    p.paths = {p.path};
    p.distribution.kind = sweep::Distribution::Kind::uniform;
    p.distribution.min = 0.0;
    p.distribution.max = 1.0;
    spec.parameters.push_back(std::move(p));
  }
  const sweep::RunTable table = sweep::make_run_table(spec);
  std::vector<std::vector<double>> out;
  for (const auto& u : table.unit_point) {
    std::vector<double> x(u.size());
    for (std::size_t i = 0; i < u.size(); ++i)
      x[i] = std::clamp(lower[i] + (upper[i] - lower[i]) * u[i], lower[i], upper[i]);
    out.push_back(std::move(x));
  }
  return out;
}

// The box of the next wave: the kept sets' bounding box widened on each side by `margin` of the
// previous box's width, within the bounds. Widening by the previous box (not by the kept sets'
// spread) keeps a wave that kept few sets from collapsing onto them: where the kept sets reach
// the box's edge, the next box reaches further.
void next_box(const std::vector<FitParameter>& parameters, const MatchWave& wave, double margin,
              std::vector<double>& lower, std::vector<double>& upper) {
  const std::size_t k = parameters.size();
  lower.assign(k, std::numeric_limits<double>::infinity());
  upper.assign(k, -std::numeric_limits<double>::infinity());
  for (const auto& p : wave.points) {
    if (!p.kept) continue;
    for (std::size_t i = 0; i < k; ++i) {
      lower[i] = std::min(lower[i], p.x[i]);
      upper[i] = std::max(upper[i], p.x[i]);
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    const double width = wave.upper[i] - wave.lower[i];
    lower[i] = std::max(parameters[i].lower, lower[i] - margin * width);
    upper[i] = std::min(parameters[i].upper, upper[i] + margin * width);
  }
}

// Runs the sets [begin, end) of a wave over the seeds and scores them.
void evaluate_wave(const ScenarioTemplate& base, const HistoryMatch& h, MatchWave& wave, std::size_t begin,
                   std::size_t end) {
  const auto& o = h.options;
  const std::size_t points = end - begin, seeds = o.seeds.size(), m = h.targets.size();
  std::vector<ScenarioSpec> specs;
  specs.reserve(points);
  for (std::size_t n = begin; n < end; ++n) {
    std::vector<std::string> overrides;
    for (std::size_t i = 0; i < h.parameters.size(); ++i)
      overrides.push_back(assignment(h.parameters[i], wave.points[n].x[i]));
    specs.push_back(base.instantiate(overrides, false));
  }
  std::vector<std::vector<double>> values(points * seeds);  // [point × seeds + seed][target]
  parallel_for(points * seeds, o.jobs, [&](std::size_t task) {
    values[task] = target_values(run_scenario(specs[task / seeds], o.seeds[task % seeds]), h.targets);
  });
  for (std::size_t p = 0; p < points; ++p) {
    MatchPoint& point = wave.points[begin + p];
    point.implausibility.assign(m, std::numeric_limits<double>::quiet_NaN());
    point.max_implausibility = 0.0;
    point.worst = 0;
    bool first = true;
    for (std::size_t k = 0; k < m; ++k) {
      if (!h.matched[k]) continue;
      std::vector<double> v(seeds);
      for (std::size_t s = 0; s < seeds; ++s) v[s] = values[p * seeds + s][k];
      const double median = spread_of(v).p50;
      const double i = implausibility(median, sample_variance(v), h.targets[k].value, h.tolerance[k]);
      point.implausibility[k] = std::isnan(i) ? std::numeric_limits<double>::infinity() : i;
      if (first || point.implausibility[k] > point.max_implausibility) {
        point.max_implausibility = point.implausibility[k];
        point.worst = k;
        first = false;
      }
    }
    point.kept = point.max_implausibility <= o.cutoff;
  }
}

std::string number(double v) {
  return fmt::format("{}", v);
}

// The sets [begin, end) of a wave read back from a file (the wave's, or a shard's) if it holds
// these settings and this design, each set once; false otherwise.
bool read_wave(const std::filesystem::path& file, const std::string& settings, const HistoryMatch& h, MatchWave& wave,
               std::size_t begin, std::size_t end) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return false;
  std::string problem;
  const auto text = read_text_file(file, limits::max_text_bytes, {"a wave file", "wave files"}, problem);
  if (!text) return false;
  std::istringstream in(*text);
  std::string line;
  if (!std::getline(in, line) || line != "# settings " + settings) return false;
  if (!std::getline(in, line)) return false;  // the header
  const std::size_t k = h.parameters.size(), m = h.targets.size();
  std::size_t row = begin;
  while (std::getline(in, line)) {
    CsvProblem csv_problem;
    const auto fields = split_csv_line(line, csv_problem);
    if (!fields || fields->size() != 1 + k + 3 + m || row >= end) return false;
    if ((*fields)[0].text != std::to_string(row + 1)) return false;
    MatchPoint& p = wave.points[row];
    for (std::size_t i = 0; i < k; ++i) {
      // The design is recomputed, not read: a file whose sets differ is not this wave.
      if ((*fields)[1 + i].text != number(p.x[i])) return false;
    }
    const auto max_i = parse_decimal((*fields)[1 + k].text);
    const auto worst = parse_whole((*fields)[2 + k].text);
    if (!max_i && (*fields)[1 + k].text != "inf") return false;
    if (!worst || *worst < 1 || *worst > m) return false;
    p.max_implausibility = max_i ? *max_i : std::numeric_limits<double>::infinity();
    p.worst = static_cast<std::size_t>(*worst - 1);
    p.kept = (*fields)[3 + k].text == "1";
    p.implausibility.assign(m, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t t = 0; t < m; ++t) {
      const std::string& cell = (*fields)[4 + k + t].text;
      if (cell.empty()) continue;
      const auto v = parse_decimal(cell);
      if (!v && cell != "inf") return false;
      p.implausibility[t] = v ? *v : std::numeric_limits<double>::infinity();
    }
    ++row;
  }
  return row == end;
}

std::filesystem::path wave_file(const std::filesystem::path& dir, std::size_t wave) {
  return dir / fmt::format("wave-{}.csv", wave + 1);
}

std::filesystem::path shard_file(const std::filesystem::path& dir, std::size_t wave, const sweep::Shard& shard) {
  return dir / fmt::format("wave-{}.{}.csv", wave + 1, shard.stem());
}

// The wave merged from the files of every shard of one split found in `dir`; false unless some
// split has all its shards, each holding these settings and its part of this design.
bool read_shards(const std::filesystem::path& dir, const std::string& settings, const HistoryMatch& h, MatchWave& wave,
                 std::size_t w) {
  std::error_code ec;
  std::vector<std::size_t> splits;  // the N of each shard-0-of-N file, in increasing order
  const std::string prefix = fmt::format("wave-{}.shard-0-of-", w + 1);
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0 || name.size() < prefix.size() + 5 || name.substr(name.size() - 4) != ".csv")
      continue;
    const auto n = parse_whole(name.substr(prefix.size(), name.size() - 4 - prefix.size()));
    if (n && *n >= 1 && *n <= 100000) splits.push_back(static_cast<std::size_t>(*n));
  }
  std::sort(splits.begin(), splits.end());
  for (const std::size_t n : splits) {
    bool all = true;
    for (std::size_t k = 0; all && k < n; ++k) {
      const sweep::Shard shard{k, n};
      const std::size_t total = wave.points.size();
      all = read_wave(shard_file(dir, w, shard), settings, h, wave, shard.begin(total), shard.end(total));
    }
    if (all) return true;
  }
  return false;
}

}  // namespace

std::string history_match_settings(const std::filesystem::path& scenario, const std::vector<FitParameter>& parameters,
                                   const std::vector<Target>& targets, const HistoryMatchOptions& options) {
  const ScenarioSpec spec = ScenarioTemplate::from_file(scenario).instantiate();
  std::string s = "scenario " + aidc::scenario_hash(spec.resolved_yaml) + "; parameters";
  for (const auto& p : parameters) s += fmt::format(" {}={}:{}", p.path, p.lower, p.upper);
  s += "; targets";
  const auto tolerance = tolerances(targets, options.default_tolerance);
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const Target& t = targets[k];
    s += fmt::format(" {}/{}/{}/{}={}w{}t{}", t.quarter.str(),
                     entity_kind_names[static_cast<std::size_t>(t.entity_kind)], t.entity, metric_name(t.metric),
                     t.value, t.weight, tolerance[k]);
  }
  s += "; seeds";
  for (const auto seed : options.seeds) s += fmt::format(" {}", seed);
  s += fmt::format("; window {}; points {}; cutoff {}; margin {}; design seed {}",
                   options.fit_window ? options.fit_window->str() : "all", options.points, options.cutoff,
                   options.margin, options.design_seed);
  // One line, whatever a name holds.
  std::replace(s.begin(), s.end(), '\n', ' ');
  std::replace(s.begin(), s.end(), '\r', ' ');
  return s;
}

HistoryMatch history_match(const std::filesystem::path& scenario, const std::vector<FitParameter>& parameters,
                           const std::vector<Target>& targets, const HistoryMatchOptions& options) {
  const ScenarioTemplate base = ScenarioTemplate::from_file(scenario);
  for (const auto& p : parameters) (void)base.resolve_key_paths(p.path, {"--params", 0, 0});
  if (options.seeds.empty()) throw_scenario_error({"--seeds", 0, 0}, "", "no seeds; expected at least one");
  if (options.points == 0)
    throw_scenario_error({"--points", 0, 0}, "", "no parameter sets; expected at least one a wave");
  if (options.waves == 0) throw_scenario_error({"--waves", 0, 0}, "", "no waves; expected at least one");
  if (options.shard && options.wave_dir.empty()) {
    throw_scenario_error({"--shard", 0, 0}, options.shard->stem(), "a shard needs a directory for the waves' files");
  }
  HistoryMatch h;
  h.parameters = parameters;
  h.targets = targets;
  h.options = options;
  h.tolerance = tolerances(targets, options.default_tolerance);
  const auto in_window = in_sample_mask(targets, options.fit_window);
  for (std::size_t k = 0; k < targets.size(); ++k) h.matched.push_back(in_window[k] && targets[k].weight > 0.0);
  if (std::none_of(h.matched.begin(), h.matched.end(), [](bool b) { return b; })) {
    throw_scenario_error({"--fit-window", 0, 0}, options.fit_window ? options.fit_window->str() : "",
                         "no target with a weight above 0 falls in the fit window; expected at least one");
  }
  // Every target's series exists: checked on one run before any wave.
  (void)target_values(run_scenario(base.instantiate({}, false), options.seeds.front()), targets);

  const std::string settings =
      options.wave_dir.empty() ? std::string() : history_match_settings(scenario, parameters, targets, options);
  std::vector<double> lower, upper;
  for (const auto& p : parameters) {
    lower.push_back(p.lower);
    upper.push_back(p.upper);
  }
  for (std::size_t w = 0; w < options.waves; ++w) {
    if (w > 0) next_box(parameters, h.waves.back(), options.margin, lower, upper);
    MatchWave wave;
    wave.lower = lower;
    wave.upper = upper;
    for (auto& x : latin_hypercube_in(lower, upper, options.points, sweep::run_seed(options.design_seed, w + 1))) {
      MatchPoint p;
      p.x = std::move(x);
      wave.points.push_back(std::move(p));
    }
    const std::size_t total = wave.points.size();
    if (!options.wave_dir.empty() && (read_wave(wave_file(options.wave_dir, w), settings, h, wave, 0, total) ||
                                      read_shards(options.wave_dir, settings, h, wave, w))) {
      wave.resumed = true;
    } else if (options.shard) {
      // This shard's part of the wave, unless its file already holds it; the wave itself once
      // every shard's file is there.
      const std::size_t b = options.shard->begin(total), e = options.shard->end(total);
      const auto mine = shard_file(options.wave_dir, w, *options.shard);
      if (!read_wave(mine, settings, h, wave, b, e)) {
        evaluate_wave(base, h, wave, b, e);
        ensure_output_directory(options.wave_dir);
        write_file_atomically(mine, format_wave_rows(h.parameters, h.targets, wave, settings, b, e));
      }
      if (!read_shards(options.wave_dir, settings, h, wave, w)) {
        h.waiting_for_wave = w + 1;  // the other shards' parts are not all there yet
        return h;
      }
      wave.resumed = true;
      write_file_atomically(wave_file(options.wave_dir, w),
                            format_wave_rows(h.parameters, h.targets, wave, settings, 0, total));
    } else {
      evaluate_wave(base, h, wave, 0, total);
      if (!options.wave_dir.empty()) {
        ensure_output_directory(options.wave_dir);
        write_file_atomically(wave_file(options.wave_dir, w),
                              format_wave_rows(h.parameters, h.targets, wave, settings, 0, total));
      }
    }
    h.waves.push_back(std::move(wave));
    if (h.waves.back().kept() == 0) break;
  }
  return h;
}

namespace {

std::string cell(double v) {
  return std::isinf(v) ? std::string("inf") : number(v);
}

}  // namespace

std::string format_wave_csv(const HistoryMatch& h, std::size_t wave, const std::string& settings) {
  return format_wave_rows(h.parameters, h.targets, h.waves[wave], settings, 0, h.waves[wave].points.size());
}

std::string format_wave_rows(const std::vector<FitParameter>& parameters, const std::vector<Target>& targets,
                             const MatchWave& wave, const std::string& settings, std::size_t begin, std::size_t end) {
  std::string out = "# settings " + settings + "\npoint";
  for (const auto& p : parameters) out += "," + csv_field(p.path);
  out += ",implausibility,worst_target,kept";
  for (std::size_t k = 0; k < targets.size(); ++k) out += fmt::format(",I_{}", k + 1);
  out += '\n';
  const auto& points = wave.points;
  for (std::size_t n = begin; n < end; ++n) {
    const MatchPoint& p = points[n];
    out += std::to_string(n + 1);
    for (const double x : p.x) out += "," + number(x);
    out += fmt::format(",{},{},{}", cell(p.max_implausibility), p.worst + 1, p.kept ? 1 : 0);
    for (const double i : p.implausibility) out += "," + (std::isnan(i) ? std::string() : cell(i));
    out += '\n';
  }
  return out;
}

std::string format_posterior_csv(const HistoryMatch& h) {
  std::string out;
  for (const auto& p : h.parameters) out += csv_field(p.path) + ",";
  out += "implausibility\n";
  for (const auto* p : h.posterior()) {
    for (const double x : p->x) out += number(x) + ",";
    out += cell(p->max_implausibility) + "\n";
  }
  return out;
}

std::string format_history_match_report(const HistoryMatch& h, const std::string& scenario_name) {
  using calibrate_format::short_value;
  const auto& o = h.options;
  std::string md = fmt::format("# History matching of {}\n\n", scenario_name);
  std::string seeds = std::to_string(o.seeds.size()) + " seed" + (o.seeds.size() == 1 ? "" : "s");
  if (!o.seeds.empty()) seeds += fmt::format(" ({}–{})", o.seeds.front(), o.seeds.back());
  const std::size_t matched = static_cast<std::size_t>(std::count(h.matched.begin(), h.matched.end(), true));
  md += fmt::format(
      "Each parameter set runs over {} (the same for every set). Target k's implausibility is "
      "I_k = |median_k − record_k| / √((tolerance_k·|record_k|)² + variance_k), the median and the variance "
      "(divisor n − 1) across the seeds; a set is kept when max_k I_k ≤ {:g} over the {} matched targets (fit window "
      "{}, weight above 0). Tolerance: the targets file's, else {:g} of the record.\n",
      seeds, o.cutoff, matched, o.fit_window ? o.fit_window->str() : "all targets", o.default_tolerance);
  md += fmt::format(
      "Wave 1 is a Latin hypercube of {} sets over the bounds; each later wave one over the bounding box of the "
      "previous wave's kept sets, widened on each side by {:g}% of the previous wave's box; design seed {}. The "
      "posterior is the last wave's kept sets.\n\n",
      o.points, 100.0 * o.margin, o.design_seed);

  md += "| wave | sets | kept | share kept | box |\n|---|---|---|---|---|\n";
  for (std::size_t w = 0; w < h.waves.size(); ++w) {
    const auto& wave = h.waves[w];
    std::string box;
    for (std::size_t i = 0; i < h.parameters.size(); ++i) {
      box += fmt::format("{}`{}` [{:.6g}, {:.6g}]", i == 0 ? "" : "; ", h.parameters[i].path, wave.lower[i],
                         wave.upper[i]);
    }
    md += fmt::format("| {}{} | {} | {} | {:.1f}% | {} |\n", w + 1, wave.resumed ? " (resumed)" : "",
                      wave.points.size(), wave.kept(),
                      100.0 * static_cast<double>(wave.kept()) / static_cast<double>(wave.points.size()), box);
  }
  // Kept sets at an edge of the last box that is not a bound: the non-implausible region may go on
  // beyond it, and the posterior be cut there.
  if (!h.waves.empty() && h.waves.back().kept() > 0) {
    const auto& last = h.waves.back();
    const double edge = std::max(0.05, 1.0 / static_cast<double>(last.points.size()));
    for (std::size_t i = 0; i < h.parameters.size(); ++i) {
      const double width = last.upper[i] - last.lower[i];
      bool low = false, high = false;
      for (const auto& p : last.points) {
        if (!p.kept) continue;
        low = low || (last.lower[i] > h.parameters[i].lower && p.x[i] - last.lower[i] <= edge * width);
        high = high || (last.upper[i] < h.parameters[i].upper && last.upper[i] - p.x[i] <= edge * width);
      }
      if (low || high) {
        md += fmt::format(
            "\n**`{}`: sets kept at the {} edge of the last wave's box, inside the bounds: the "
            "non-implausible region may go on beyond it; run more waves (or a wider --margin).**\n",
            h.parameters[i].path,
            low && high ? "lower and upper"
            : low       ? "lower"
                        : "upper");
      }
    }
  }
  if (!h.waves.empty() && h.waves.back().kept() == 0) {
    md += fmt::format(
        "\n**Wave {} kept no set: the waves stop and the posterior is empty.** Raise the tolerances or the "
        "cutoff, or widen the bounds.\n",
        h.waves.size());
  }

  // Which targets rule sets out: for each, the sets of the last wave where it is the worst and above the cutoff.
  if (!h.waves.empty()) {
    std::vector<std::size_t> ruled(h.targets.size(), 0);
    for (const auto& p : h.waves.back().points) {
      if (!p.kept) ++ruled[p.worst];
    }
    md +=
        "\nTargets in the last wave: the tolerance used, the median implausibility over its sets, and how many sets "
        "it rules out as their worst target.\n\n";
    md += "| target | record | tolerance | median I | sets ruled out |\n|---|---|---|---|---|\n";
    for (std::size_t k = 0; k < h.targets.size(); ++k) {
      const Target& t = h.targets[k];
      std::vector<double> values;
      for (const auto& p : h.waves.back().points) {
        if (!std::isnan(p.implausibility[k])) values.push_back(p.implausibility[k]);
      }
      const std::string median = values.empty() ? "not matched" : fmt::format("{:.3g}", spread_of(values).p50);
      md += fmt::format("| {} {} {} {} | {} | {:g}% | {} | {} |\n", t.quarter.str(),
                        entity_kind_names[static_cast<std::size_t>(t.entity_kind)], t.entity, metric_name(t.metric),
                        short_value(t.value), 100.0 * h.tolerance[k], median, ruled[k]);
    }
  }

  const auto posterior = h.posterior();
  md += fmt::format("\n## Posterior\n\n{} parameter set{} kept in the last wave.\n\n", posterior.size(),
                    posterior.size() == 1 ? "" : "s");
  md += "| parameter | bounds | 5% | 50% | 95% |\n|---|---|---|---|---|\n";
  for (std::size_t i = 0; i < h.parameters.size(); ++i) {
    const auto& p = h.parameters[i];
    const auto q = [&](double prob) {
      const double v = h.posterior_quantile(i, prob);
      return std::isnan(v) ? std::string("n/a") : fmt::format("{:.6g}", v);
    };
    md +=
        fmt::format("| `{}` | [{:.6g}, {:.6g}] | {} | {} | {} |\n", p.path, p.lower, p.upper, q(0.05), q(0.5), q(0.95));
  }
  if (const MatchPoint* best = best_match(h)) {
    md += fmt::format("\nThe kept set with the smallest largest implausibility ({:.3g}):", best->max_implausibility);
    for (std::size_t i = 0; i < h.parameters.size(); ++i)
      md += fmt::format(" `{}` = {:.6g}", h.parameters[i].path, best->x[i]);
    md += ".\n";
  }
  return md;
}

}  // namespace aidc
