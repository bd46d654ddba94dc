#include "sweep_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "aidc/kernel/interrupt.hpp"
#include "aidc/model/invariant_violation.hpp"
#include "aidc/output/atomic_file.hpp"
#include "aidc/run/run_directory.hpp"
#include "aidc/run/run_scenario.hpp"
#include "aidc/scenario/loader.hpp"
#include "aidc/sweep/check.hpp"
#include "aidc/sweep/kpi.hpp"
#include "aidc/sweep/merge.hpp"
#include "aidc/sweep/series_codec.hpp"
#include "aidc/sweep/streamed_file.hpp"
#include "aidc/sweep/results_store.hpp"
#include "aidc/sweep/runner.hpp"
#include "aidc/sweep/sensitivity.hpp"
#include "aidc/sweep/sweep_report.hpp"
#include "options.hpp"

namespace aidc::cli {

namespace {

constexpr int exit_ok = 0;
constexpr int exit_error = 1;
constexpr int exit_bad_input = 2;

void print_scenario_error(const ScenarioError& e, const std::string& what) {
  std::size_t errors = 0;
  for (const auto& d : e.diagnostics()) {
    std::cerr << d.str() << '\n';
    errors += d.severity == Diagnostic::Severity::error ? 1 : 0;
  }
  std::cerr << what << ": " << errors << " error" << (errors == 1 ? "" : "s") << "; nothing was run\n";
}

std::string clock_text(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  return s >= 3600 ? fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60) : fmt::format("{}:{:02}", s / 60, s % 60);
}

// A bar rewritten in place on a terminal; elsewhere a plain line every 10 s and at the end.
std::function<void(const sweep::SweepProgress&)> progress_display(bool forced) {
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  double last_line = -1e9;
  bool finished_shown = false;
  return [=](const sweep::SweepProgress& p) mutable {
    if (finished_shown) return;
    const double rate = p.elapsed_seconds > 0 ? static_cast<double>(p.done_this_session) / p.elapsed_seconds : 0.0;
    const double eta = rate > 0 ? static_cast<double>(p.total - p.done) / rate : NAN;
    const bool finished = p.done >= p.total;
    finished_shown = finished;
    if (terminal) {
      constexpr int width = 30;
      const int filled = p.total ? static_cast<int>(width * p.done / p.total) : width;
      std::fprintf(stderr, "\r  [%s%s] %zu/%zu runs, %zu failed, %.2f runs/s, ETA %s\x1b[K",
                   std::string(static_cast<std::size_t>(filled), '#').c_str(),
                   std::string(static_cast<std::size_t>(width - filled), '.').c_str(), p.done, p.total, p.failed, rate,
                   clock_text(eta).c_str());
      if (finished) std::fprintf(stderr, "\n");
    } else if (forced || finished || p.elapsed_seconds - last_line >= 10.0) {
      if (!finished && p.elapsed_seconds - last_line < 10.0) return;
      last_line = p.elapsed_seconds;
      std::fprintf(stderr, "progress: %zu/%zu runs, %zu failed, %.2f runs/s, ETA %s\n", p.done, p.total, p.failed, rate,
                   clock_text(eta).c_str());
    }
    std::fflush(stderr);
  };
}

// `word` as one shell word: quoted unless made only of safe characters.
std::string shell_word(const std::string& word) {
  const bool safe = !word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                           "0123456789-_./=:,+@%") == std::string::npos;
  if (safe) return word;
  std::string quoted = "'";
  for (const char ch : word) quoted += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return quoted + "'";
}

// The command that continues this sweep where it stopped.
std::string resume_command(const SweepCommand& c) {
  std::string command = "aidcsim sweep " + shell_word(c.spec) + " -o " + shell_word(c.dir);
  if (!c.shard.empty()) command += " --shard " + shell_word(c.shard);
  if (c.threads > 0) command += " -j " + std::to_string(c.threads);
  return command + " --resume";
}

std::string bytes_text(double bytes) {
  if (bytes < 1e3) return fmt::format("{:.0f} B", bytes);
  if (bytes < 1e6) return fmt::format("{:.1f} kB", bytes / 1e3);
  if (bytes < 1e9) return fmt::format("{:.1f} MB", bytes / 1e6);
  return fmt::format("{:.1f} GB", bytes / 1e9);
}

// The sweep file checked against its base scenario, and described; with `time_run`, one run of
// design point 0 is timed for an estimate of time and disk, and the KPIs are checked against it.
int check_sweep_file(const std::string& file, bool time_run, std::size_t threads, std::size_t shards) {
  sweep::SweepSpec spec;
  std::string report;
  try {
    spec = sweep::load_sweep_file(file);
    const ScenarioTemplate base = sweep::load_base_scenario(spec);
    const std::string hash = sweep::base_scenario_hash(spec, base);
    const sweep::RunTable table = sweep::make_run_table(spec);
    const auto check = sweep::check_sweep(spec, base, table, 10.0);
    for (const auto& w : check.warnings) std::cerr << w.str() << '\n';
    report += fmt::format("{}: ok: {} design, {} point{} × {} replication{} = {} runs, {} parameter{}; seeds {}\n", file,
                             sweep::design_name(spec.design), check.points, check.points == 1 ? "" : "s",
                             spec.replications, spec.replications == 1 ? "" : "s", check.runs,
                             spec.parameters.size(), spec.parameters.size() == 1 ? "" : "s",
                             spec.common_random_numbers ? "common (replication r has the same seed at every point)"
                                                        : "independent (every run its own)");
    report += fmt::format("  base scenario: {} ({})\n", spec.scenario.empty() ? "the embedded default" : spec.scenario.string(), hash);
    report += fmt::format("  checked: every parameter's path, kind and range; {} of {} design points validated\n",
                             check.points_checked, check.points);
    if (!time_run) {
      std::cout << report;
      return exit_ok;
    }
    const auto started = std::chrono::steady_clock::now();
    const ScenarioSpec scenario = base.instantiate(table.overrides(spec, 0), false);
    const RunResult result = run_scenario(scenario, table.runs[0].seed);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const auto kpis = sweep::run_kpis(result.recorder, sweep::kpi_expressions(spec.kpis));
    Diagnostics diags;
    for (std::size_t i = 0; i < spec.kpis.size(); ++i) {
      const bool recorded = std::any_of(kpis.begin(), kpis.end(), [&](const auto& kv) {
        return kv.first == spec.kpis[i] && (!sweep::is_kpi_expression(kv.first) || std::isfinite(kv.second));
      });
      if (!recorded) {
        std::vector<std::string> names;
        for (const auto& kv : kpis) names.push_back(kv.first);
        diags.error(i < spec.kpis_at.size() ? spec.kpis_at[i] : SourceLocation{file, 0, 0},
                    "outputs.kpis[" + std::to_string(i) + "]",
                    sweep::is_kpi_expression(spec.kpis[i])
                        ? "'" + spec.kpis[i] + "': point 0's run records no value of it (that metric is not recorded for that entity)"
                        : "'" + spec.kpis[i] + "' is not recorded for the world by this scenario; expected one of the KPIs a run gives " +
                              suggest(spec.kpis[i], names));
      }
    }
    if (diags.has_errors()) throw ScenarioError(diags.all());
    std::string line = "0\tok\t";
    for (std::size_t i = 0; i < kpis.size(); ++i) fmt::format_to(std::back_inserter(line), "{}{}={}", i ? ";" : "", kpis[i].first, kpis[i].second);
    // The shard keeps the series compressed (series_codec.hpp); series.csv, once merged, plain.
    const std::string series = sweep::series_lines(result.recorder, 0, spec.series_metrics);
    const double series_plain = static_cast<double>(series.size());
    const double per_run = static_cast<double>(line.size() + 1 + (series.empty() ? 0 : sweep::gzip_member(series).size()));
    const double runs = static_cast<double>(table.runs.size());
    const double parallel = static_cast<double>(std::max<std::size_t>(1, threads) * std::max<std::size_t>(1, shards));
    report += fmt::format("  one run of point 0: {:.2f} s, so about {} of run time in all ({} on {} thread{}{})\n",
                             seconds, clock_text(seconds * runs), clock_text(seconds * runs / parallel),
                             threads, threads == 1 ? "" : "s", shards > 1 ? fmt::format(" × {} shards", shards) : "");
    report += fmt::format("  disk: about {} per run, {} in all ({} KPIs{})\n", bytes_text(per_run),
                             bytes_text(per_run * runs), kpis.size(),
                             spec.series_metrics.empty() ? "" : ", and the series of " + std::to_string(spec.series_metrics.size()) + " metric(s), compressed");
    if (series_plain > 0) {
      report += fmt::format("  series.csv once merged: about {} (plain text)\n", bytes_text(series_plain * runs));
    }
    std::cout << report << "dry run: nothing was written\n";
  } catch (const ScenarioError& e) {
    print_scenario_error(e, file);
    return exit_bad_input;
  } catch (const InvariantViolation& e) {
    std::cerr << file << ": design point 0 breaks an invariant of the model: " << e.what() << '\n';
    return exit_bad_input;
  }
  return exit_ok;
}

int command_run(SweepCommand& c) {
  if (c.spec.empty() || (c.dir.empty() && !c.dry_run)) {
    std::cerr << "aidcsim sweep: expected a sweep file and -o DIR (or one of merge, status, analyze)\n";
    return exit_bad_input;
  }
  sweep::SweepOptions options;
  options.dir = c.dir;
  options.resume = c.resume;
  options.batch_runs = c.batch_runs;
  options.threads = c.threads > 0 ? c.threads : std::max(1u, std::thread::hardware_concurrency());
  if (!c.shard.empty()) {
    const auto shard = sweep::parse_shard(c.shard);
    if (!shard) {
      std::cerr << "aidcsim sweep: --shard '" << c.shard << "' is not K/N with 0 ≤ K < N (e.g. 0/4)\n";
      return exit_bad_input;
    }
    options.shard = *shard;
  } else if (const auto shard = sweep::shard_from_environment()) {
    options.shard = *shard;
  }
  if (c.dry_run) return check_sweep_file(c.spec, true, options.threads, options.shard.count);
  sweep::SweepSpec spec;
  std::string text;
  try {
    text = sweep::read_sweep_file(c.spec);
    spec = sweep::load_sweep_text(text, c.spec);
  } catch (const ScenarioError& e) {
    print_scenario_error(e, c.spec);
    return exit_bad_input;
  }
  options.progress = progress_display(c.progress);
  install_interrupt_handlers();
  try {
    const auto p = sweep::run_sweep(spec, text, options);
    if (const int signal = interrupt_signal(); signal != 0 && p.done < p.total) {
      if (::isatty(STDERR_FILENO) == 1) std::cerr << "\r\x1b[K";
      std::cerr << "aidcsim sweep: interrupted by " << signal_name(signal) << " after " << p.done << " of " << p.total
                << " runs; resume with: " << resume_command(c) << '\n';
      return interrupted_exit_code(signal);
    }
    if (!p.thread_error.empty()) {
      std::cerr << "aidcsim sweep: only " << p.threads << " of " << options.threads
                << " worker threads could start (" << p.thread_error << "); the sweep ran with " << p.threads << '\n';
    }
    std::cout << "shard " << options.shard.index << "/" << options.shard.count << ": " << p.done << " of " << p.total
              << " runs done (" << p.done_this_session << " now), " << p.failed << " failed, in "
              << fmt::format("{:.1f}", p.elapsed_seconds) << " s; results in " << c.dir << '\n';
    if (p.failed > 0) {
      std::cout << "failures: aidcsim sweep status " << c.dir << "; to run them again: aidcsim sweep retry "
                << shell_word(c.dir) << '\n';
    }
  } catch (const ScenarioError& e) {
    print_scenario_error(e, c.spec);
    return exit_bad_input;
  } catch (const std::invalid_argument& e) {
    std::cerr << "aidcsim sweep: " << e.what() << '\n';
    return exit_bad_input;
  } catch (const sweep::ResultsError& e) {
    std::cerr << "aidcsim sweep: " << e.what() << '\n';
    return exit_bad_input;
  } catch (const OutputError& e) {
    std::cerr << "aidcsim sweep: " << e.what() << '\n';
    return exit_error;
  } catch (const std::runtime_error& e) {
    std::cerr << "aidcsim sweep: " << e.what() << '\n';
    return exit_error;
  }
  return exit_ok;
}

// Reads a results directory with `read` (open_sweep_directory, read_sweep_for_analysis) and
// hands it to `f`. SIGINT and SIGTERM stop it before it writes (exit 130 or 143); a file being
// written is finished or removed first, so no temporary is left.
template <class Read, class F>
int with_directory(Read&& read, F&& f) {
  install_interrupt_handlers();
  try {
    auto results = read();
    return f(results);
  } catch (const Interrupted& e) {
    std::cerr << "aidcsim sweep: interrupted by " << e.what() << "; no file was left half written\n";
    return interrupted_exit_code(e.signal());
  } catch (const ScenarioError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.str() << '\n';
    return exit_bad_input;
  } catch (const OutputError& e) {
    std::cerr << "aidcsim sweep: " << e.what() << '\n';
    return exit_error;
  } catch (const std::runtime_error& e) {
    std::cerr << "aidcsim sweep: " << e.what() << '\n';
    return exit_bad_input;
  }
}

// Which runs and shards of `r` are missing, and how to run them again. Counted in one pass over
// the runs, the missing ones written as ranges up to 200 characters: nothing held per run.
std::string missing_shards_text(const sweep::SweepDirectory& r, const std::string& dir) {
  const std::size_t total = r.design.runs();
  const auto on_disk = sweep::shards_on_disk(dir, total);
  const std::size_t count = on_disk.empty() ? 1 : on_disk.front().shard.count;
  constexpr std::size_t max_ranges_chars = 200;
  std::string ranges;
  const auto add_range = [&](std::size_t first, std::size_t last) {
    if (ranges.size() > max_ranges_chars) return;
    if (!ranges.empty()) ranges += ',';
    ranges += first == last ? std::to_string(first) : fmt::format("{}-{}", first, last);
  };
  std::vector<std::size_t> shards;
  std::string detail;
  std::size_t first_missing = 0;
  bool in_range = false;
  for (std::size_t k = 0; k < count; ++k) {
    const sweep::Shard shard{k, count};
    std::size_t absent = 0;
    for (std::size_t i = shard.begin(total); i < shard.end(total); ++i) {
      if (i % 4096 == 0) throw_if_interrupted("reading " + dir);
      const bool recorded = r.index.is_recorded(i);
      if (!recorded && !in_range) first_missing = i, in_range = true;
      if (recorded && in_range) add_range(first_missing, i - 1), in_range = false;
      absent += recorded ? 0 : 1;
    }
    if (absent == 0) continue;
    shards.push_back(k);
    if (shards.size() <= 10) detail += fmt::format("{}{}/{} ({} of {} runs missing)", shards.size() == 1 ? "" : ", ", k, count, absent, shard.end(total) - shard.begin(total));
  }
  if (in_range) add_range(first_missing, total - 1);
  if (shards.size() > 10) detail += fmt::format(" and {} more", shards.size() - 10);
  std::string out = " (runs " + ranges.substr(0, max_ranges_chars) + ")";
  out += "\n  incomplete shard" + std::string(shards.size() == 1 ? "" : "s") + ": " + detail;
  std::string list;
  for (const auto k : shards) list += (list.empty() ? "" : ",") + std::to_string(k);
  out += fmt::format("\n  run them again: aidcsim sweep SWEEP.yaml -o {} --shard K/{} --resume (K = {})", shell_word(dir), count, list);
  if (std::filesystem::exists(std::filesystem::path(dir) / "sweep.sbatch")) {
    out += fmt::format("\n  on Slurm: sbatch --array={} {}/sweep.sbatch, then sbatch {}/merge.sbatch", list,
                       shell_word(dir), shell_word(dir));
  }
  return out;
}

int command_merge(SweepCommand& c) {
  return with_directory([&] { return sweep::open_sweep_directory(c.dir, true); }, [&](sweep::SweepDirectory& r) {
    const std::size_t pending = sweep::pending_runs(r);
    if (pending > 0 && !c.allow_incomplete) {
      std::cerr << "aidcsim sweep merge: " << pending << " of " << r.design.runs() << " runs are pending"
                << missing_shards_text(r, c.dir) << "\n  or merge what there is: --allow-incomplete\n";
      return exit_error;
    }
    // Streamed a row at a time into a temporary renamed into place at the end: the memory does
    // not grow with the runs, and a reader never sees half a file.
    const std::filesystem::path dir(c.dir);
    throw_if_interrupted("reading " + c.dir);
    std::size_t rows = 0;
    {
      // Made at the first row, once the KPI columns are known: until then a stop is polled.
      std::optional<sweep::StreamedFile> runs_csv;
      rows = sweep::write_runs_csv(r, [&](std::string_view text) {
        if (!runs_csv) runs_csv.emplace(dir / "runs.csv");
        runs_csv->write(text);
      });
      runs_csv->commit();
    }
    std::cout << "wrote runs.csv";
    if (!r.spec.series_metrics.empty()) {
      sweep::StreamedFile series_csv(dir / "series.csv");
      sweep::write_series_csv(r, [&](std::string_view text) { series_csv.write(text); });
      series_csv.commit();
      std::cout << " and series.csv";
    }
    std::cout << " in " << c.dir << " (" << rows << " runs)\n";
    return exit_ok;
  });
}

int command_status(SweepCommand& c) {
  return with_directory([&] { return sweep::open_sweep_directory(c.dir, false); }, [&](sweep::SweepDirectory& r) {
    std::cout << sweep::format_status(r);
    return exit_ok;
  });
}

// The analysis options of `analyze` and `report`; without --kpis, read_sweep_for_analysis takes
// the sweep file's.
sweep::AnalysisOptions analysis_options(const SweepCommand& c) {
  sweep::AnalysisOptions options;
  options.bootstrap_samples = c.bootstrap;
  options.confidence = c.confidence;
  options.prim_quantile = c.prim_quantile;
  std::stringstream s(c.kpis);
  for (std::string k; std::getline(s, k, ',');) options.kpis.push_back(k);
  return options;
}

// Reads DIR for `analyze` and `report` (only the KPIs analysed), then `f(results, options)`.
template <class F>
int with_analysis(SweepCommand& c, F&& f) {
  sweep::AnalysisOptions options = analysis_options(c);
  return with_directory(
      [&] { return sweep::read_sweep_for_analysis(c.dir, options); },
      [&](const sweep::SweepResults& r) { return f(r, options); });
}

int command_analyze(SweepCommand& c) {
  return with_analysis(c, [&](const sweep::SweepResults& r, const sweep::AnalysisOptions& options) {
    const std::string report = sweep::format_analysis(r, options);
    throw_if_interrupted("writing " + (std::filesystem::path(c.dir) / "analysis.md").string());
    std::cout << report;
    write_file_atomically(std::filesystem::path(c.dir) / "analysis.md", report);
    return exit_ok;
  });
}

int command_report(SweepCommand& c) {
  return with_analysis(c, [&](const sweep::SweepResults& r, const sweep::AnalysisOptions& options) {
    const std::string html = sweep::format_sweep_report_html(r, options);
    const std::filesystem::path file =
        c.report_output.empty() ? std::filesystem::path(c.dir) / "report.html" : std::filesystem::path(c.report_output);
    throw_if_interrupted("writing " + file.string());
    write_file_atomically(file, html);
    std::cout << "wrote " << file.string() << '\n';
    return exit_ok;
  });
}

// `sweep rerun DIR RUN`: the run's whole output directory, as `aidcsim run` writes it for the
// run's scenario (the base with the run's --set) and seed.
int command_rerun(SweepCommand& c) {
  const std::filesystem::path dir(c.dir);
  install_interrupt_handlers();
  try {
    if (!std::filesystem::exists(dir / "sweep.yaml")) {
      std::cerr << "aidcsim sweep rerun: " << (dir / "sweep.yaml").string()
                << " is missing: not a sweep directory (made by `aidcsim sweep SPEC -o DIR`)\n";
      return exit_bad_input;
    }
    sweep::SweepSpec spec = sweep::load_sweep_file(dir / "sweep.yaml");
    if (!c.rerun_scenario.empty()) spec.scenario = c.rerun_scenario;
    const sweep::RunTable table = sweep::make_run_table(spec);
    if (c.run >= table.runs.size()) {
      std::cerr << "aidcsim sweep rerun: the sweep has " << table.runs.size() << " runs (0 to " << table.runs.size() - 1
                << "); there is no run " << c.run << '\n';
      return exit_bad_input;
    }
    // The base scenario must be the one the sweep ran: its hash is in every shard's manifest.
    const ScenarioTemplate base = sweep::load_base_scenario(spec);
    const std::string hash = sweep::base_scenario_hash(spec, base);
    for (const auto& shard : sweep::shards_on_disk(dir, table.runs.size())) {
      if (shard.base_hash.empty() || shard.base_hash == hash) continue;
      std::cerr << "aidcsim sweep rerun: the base scenario "
                << (spec.scenario.empty() ? std::string("<embedded>/baseline.yaml") : spec.scenario.string())
                << " is not the one the sweep ran (" << shard.stem << " ran " << shard.base_hash << ", this is " << hash
                << "); name the one it ran with --scenario PATH\n";
      return exit_bad_input;
    }
    const sweep::Run& run = table.runs[c.run];
    const auto overrides = table.overrides(spec, c.run);
    const ScenarioSpec scenario =
        spec.scenario.empty() ? load_default_scenario(overrides) : load_scenario_file(spec.scenario, overrides);
    const RunResult result = run_scenario(scenario, run.seed, {});
    const std::filesystem::path out =
        c.rerun_output.empty() ? dir / ("run-" + std::to_string(c.run)) : std::filesystem::path(c.rerun_output);
    (void)write_run_directory(out, scenario, run.seed, result, false);
    std::string command = "aidcsim run";
    if (!spec.scenario.empty()) command += " " + shell_word(spec.scenario.string());
    command += " --seed " + std::to_string(run.seed);
    for (const auto& o : overrides) command += " --set " + shell_word(o);
    std::cout << fmt::format(
        "run {} (design point {}, replication {}, seed {}) written to {}; the same as:\n  {} -o {}\n", c.run, run.point,
        run.replication, run.seed, out.string(), command, shell_word(out.string()));
    return exit_ok;
  } catch (const ScenarioError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.str() << '\n';
    return exit_bad_input;
  } catch (const InvariantViolation& e) {
    std::cerr << "aidcsim: " << e.what() << "\nnothing was written\n";
    return 3;
  } catch (const Interrupted& e) {
    std::cerr << "aidcsim sweep rerun: interrupted by " << e.what() << "; nothing written\n";
    return interrupted_exit_code(e.signal());
  } catch (const OutputError& e) {
    std::cerr << "aidcsim sweep rerun: " << e.what() << '\n';
    return exit_error;
  } catch (const std::runtime_error& e) {
    std::cerr << "aidcsim sweep rerun: " << e.what() << '\n';
    return exit_bad_input;
  }
}

// `sweep retry DIR`: the failed runs run again (runner.hpp: retry_sweep). Exit 0 once every run
// was retried, whether or not some failed again (as `sweep` itself, which records failures and
// exits 0; `sweep status` lists them); 2 for bad input (nothing changed); 130/143 if stopped.
int command_retry(SweepCommand& c) {
  sweep::RetryOptions options;
  options.dir = c.dir;
  options.scenario = c.retry_scenario;
  options.dry_run = c.dry_run;
  options.batch_runs = c.batch_runs;
  options.threads = c.threads > 0 ? c.threads : std::max(1u, std::thread::hardware_concurrency());
  if (!c.shard.empty()) {
    const auto shard = sweep::parse_shard(c.shard);
    if (!shard) {
      std::cerr << "aidcsim sweep retry: --shard '" << c.shard << "' is not K/N with 0 ≤ K < N (e.g. 0/4)\n";
      return exit_bad_input;
    }
    options.shard = *shard;
  } else if (const auto shard = sweep::shard_from_environment()) {
    options.shard = *shard;
  }
  std::string again = "aidcsim sweep retry " + shell_word(c.dir);
  if (options.shard) again += fmt::format(" --shard {}/{}", options.shard->index, options.shard->count);
  if (!c.retry_scenario.empty()) again += " --scenario " + shell_word(c.retry_scenario);
  options.progress = progress_display(c.progress);
  install_interrupt_handlers();
  try {
    const auto r = sweep::retry_sweep(options);
    if (c.dry_run) {
      for (const auto& s : r.shards) {
        std::cout << "shard " << s.shard.index << "/" << s.shard.count << ": ";
        if (s.failed.empty() && s.pending.empty()) std::cout << "nothing to retry";
        if (!s.failed.empty()) {
          std::cout << s.failed.size() << " failed run" << (s.failed.size() == 1 ? "" : "s") << " to retry ("
                    << sweep::format_ranges(s.failed) << ")";
        }
        if (!s.pending.empty()) {
          std::cout << (s.failed.empty() ? "" : ", and ") << s.pending.size() << " pending run"
                    << (s.pending.size() == 1 ? "" : "s") << " to finish (" << sweep::format_ranges(s.pending) << ")";
        }
        std::cout << '\n';
      }
      std::cout << "dry run: " << r.retried << " failed run" << (r.retried == 1 ? "" : "s") << " would be retried";
      if (r.pending > 0) std::cout << " and " << r.pending << " pending run" << (r.pending == 1 ? "" : "s") << " run";
      std::cout << "; nothing was changed\n";
      return exit_ok;
    }
    if (const int signal = interrupt_signal(); signal != 0 && (r.left > 0 || r.not_reached > 0)) {
      if (::isatty(STDERR_FILENO) == 1) std::cerr << "\r\x1b[K";
      std::cerr << "aidcsim sweep retry: interrupted by " << signal_name(signal) << ": " << r.left << " run"
                << (r.left == 1 ? "" : "s") << " pending";
      if (r.not_reached > 0) std::cerr << ", " << r.not_reached << " failed run" << (r.not_reached == 1 ? "" : "s") << " not retried";
      std::cerr << "; finish with: " << again << '\n';
      return interrupted_exit_code(signal);
    }
    if (!r.thread_error.empty()) {
      std::cerr << "aidcsim sweep retry: only " << r.threads << " of " << options.threads
                << " worker threads could start (" << r.thread_error << "); the retry ran with " << r.threads << '\n';
    }
    std::cout << "retried " << r.retried << " failed run" << (r.retried == 1 ? "" : "s") << ": " << r.now_ok
              << " now ok, " << r.still_failed << " still failed";
    if (r.pending > 0) std::cout << "; and " << r.pending << " pending run" << (r.pending == 1 ? "" : "s") << " finished";
    std::cout << ", in " << fmt::format("{:.1f}", r.elapsed_seconds) << " s; results in " << c.dir << '\n';
    if (r.still_failed > 0) std::cout << "failures: aidcsim sweep status " << c.dir << '\n';
    return exit_ok;
  } catch (const Interrupted& e) {
    std::cerr << "aidcsim sweep retry: interrupted by " << e.what() << "; nothing was left half written; finish with: "
              << again << '\n';
    return interrupted_exit_code(e.signal());
  } catch (const ScenarioError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.str() << '\n';
    return exit_bad_input;
  } catch (const OutputError& e) {
    std::cerr << "aidcsim sweep retry: " << e.what() << '\n';
    return exit_error;
  } catch (const std::invalid_argument& e) {
    std::cerr << "aidcsim sweep retry: " << e.what() << '\n';
    return exit_bad_input;
  } catch (const sweep::ResultsError& e) {
    std::cerr << "aidcsim sweep retry: " << e.what() << '\n';
    return exit_bad_input;
  } catch (const std::runtime_error& e) {
    std::cerr << "aidcsim sweep retry: " << e.what() << '\n';
    return exit_error;
  }
}

}  // namespace

bool is_sweep_file(const std::string& path) {
  try {
    std::istringstream in(sweep::read_sweep_file(path));
    for (std::string line; std::getline(in, line);) {
      if (line.starts_with("design:") || line.starts_with("parameters:")) return true;
    }
  } catch (const ScenarioError&) {
  }
  return false;
}

int validate_sweep_file(const std::string& path) { return check_sweep_file(path, false, 1, 1); }

void add_sweep_command(CLI::App& app, SweepCommand& c) {
  c.app = app.add_subcommand("sweep",
                             "Run many variants of a scenario (a sweep file); merge, status, analyze, rerun, retry, report");
  c.app->add_option("spec", c.spec, "Sweep file (YAML): base scenario, parameters, design, outputs");
  c.app->add_option("-o,--output", c.dir, "Results directory (one file per shard, a manifest each)");
  c.app->add_option("-j,--jobs", c.threads,
                    "Runs at a time, from 1 to 4 per hardware thread (at least 16, at most 1024; default: every core)")
      ->check(CLI::Range(std::size_t{1}, max_jobs()));
  c.app->add_option("--shard", c.shard, "Run only shard K of N (0-based K/N; default from SLURM_ARRAY_TASK_ID/COUNT)");
  c.app->add_flag("--resume", c.resume, "Continue an interrupted sweep: skip the runs already recorded");
  c.app->add_option("--batch-runs", c.batch_runs, "Runs per results batch (each batch is flushed to disk; also every 2 s)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  c.app->add_flag("--progress", c.progress, "Progress lines on stderr even when it is not a terminal");
  c.app->add_flag("--dry-run", c.dry_run,
                  "Check the sweep against its base scenario, time one run, estimate time and disk; write nothing");
  c.app->require_subcommand(0, 1);
  c.merge = c.app->add_subcommand("merge", "Combine the shards into DIR/runs.csv (and DIR/series.csv)");
  c.merge->add_option("dir", c.dir, "Sweep results directory")->required();
  c.merge->add_flag("--allow-incomplete", c.allow_incomplete, "Merge even if some runs are pending");
  c.status = c.app->add_subcommand("status", "Show the done, failed and pending runs of a sweep");
  c.status->add_option("dir", c.dir, "Sweep results directory")->required();
  c.analyze = c.app->add_subcommand("analyze", "Sensitivity: Sobol indices (saltelli) or Morris μ*/σ, with bootstrap CIs");
  c.analyze->add_option("dir", c.dir, "Sweep results directory")->required();
  c.analyze->add_option("--kpis", c.kpis, "Comma-separated KPIs (default: the sweep file's outputs.kpis, else a few key ones)");
  c.analyze->add_option("--bootstrap", c.bootstrap, "Bootstrap resamples")->check(CLI::Range(10, 100000))->capture_default_str();
  c.analyze->add_option("--confidence", c.confidence, "Confidence level of the intervals")
      ->check(finite_range(0.5, 0.999))
      ->capture_default_str();
  c.analyze->add_option("--prim-quantile", c.prim_quantile,
                        "PRIM box: the parameter ranges where the KPI is at or above this quantile")
      ->check(finite_range(0.5, 0.99))
      ->capture_default_str();
  c.report = c.app->add_subcommand(
      "report", "Write an HTML report: parameters ranked by Sobol/Morris effect and PRCC, PRIM boxes");
  c.report->add_option("dir", c.dir, "Sweep results directory")->required();
  c.report->add_option("-o,--output", c.report_output, "The HTML file (default: DIR/report.html)");
  c.report->add_option("--kpis", c.kpis,
                       "Comma-separated KPIs (default: the sweep file's outputs.kpis, else a few key ones)");
  c.report->add_option("--bootstrap", c.bootstrap, "Bootstrap resamples")
      ->check(CLI::Range(10, 100000))
      ->capture_default_str();
  c.report->add_option("--confidence", c.confidence, "Confidence level of the intervals")
      ->check(finite_range(0.5, 0.999))
      ->capture_default_str();
  c.report->add_option("--prim-quantile", c.prim_quantile, "PRIM box: the KPI at or above this quantile")
      ->check(finite_range(0.5, 0.99))
      ->capture_default_str();
  c.retry = c.app->add_subcommand(
      "retry", "Run again the runs recorded as failed (same parameters and seeds), replacing their records");
  c.retry->add_option("dir", c.dir, "Sweep results directory")->required();
  c.retry->add_option("--shard", c.shard,
                      "Retry only shard K of N (0-based K/N, the split DIR holds; default from SLURM_ARRAY_TASK_ID/COUNT, "
                      "else every shard)");
  c.retry->add_option("-j,--jobs", c.threads,
                      "Runs at a time, from 1 to 4 per hardware thread (at least 16, at most 1024; default: every core)")
      ->check(CLI::Range(std::size_t{1}, max_jobs()));
  c.retry->add_option("--batch-runs", c.batch_runs, "Runs per results batch (each batch is flushed to disk; also every 2 s)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  c.retry->add_flag("--dry-run", c.dry_run, "List the runs it would run again; change nothing");
  c.retry->add_flag("--progress", c.progress, "Progress lines on stderr even when it is not a terminal");
  c.retry->add_option("--scenario", c.retry_scenario,
                      "The base scenario, if the sweep file's `scenario:` does not find it from DIR");
  c.rerun = c.app->add_subcommand("rerun", "Write one run's whole output directory, as `aidcsim run` would");
  c.rerun->add_option("dir", c.dir, "Sweep results directory")->required();
  c.rerun->add_option("run", c.run, "The run (its index in runs.csv)")->required();
  c.rerun->add_option("-o,--output", c.rerun_output, "Its directory (default: DIR/run-RUN)");
  c.rerun->add_option("--scenario", c.rerun_scenario,
                      "The base scenario, if the sweep file's `scenario:` does not find it from DIR");
}

int run_sweep_command(SweepCommand& c) {
  if (c.merge->parsed()) return command_merge(c);
  if (c.status->parsed()) return command_status(c);
  if (c.analyze->parsed()) return command_analyze(c);
  if (c.rerun->parsed()) return command_rerun(c);
  if (c.report->parsed()) return command_report(c);
  if (c.retry->parsed()) return command_retry(c);
  return command_run(c);
}

}  // namespace aidc::cli
