// aidcsim: the command-line entry point. Parses arguments and wires the layers; no model logic.
//
// Exit codes: 0 success; 1 output or internal error; 2 bad input (scenario or arguments);
// 3 the model broke an invariant (a bug or an extreme scenario: the message says where);
// 130 and 143 (128 + the signal, as shells report it): a command stopped by SIGINT or SIGTERM at
// a safe point, having written nothing under a final name (a sweep: its finished runs are
// recorded, the rest resume with --resume). No command leaves a temporary file behind a signal.

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "aidc/calibrate/backtest.hpp"
#include "aidc/calibrate/calibration.hpp"
#include "aidc/calibrate/ensemble_fit.hpp"
#include "aidc/calibrate/history_matching.hpp"
#include "aidc/calibrate/identifiability.hpp"
#include "aidc/calibrate/posterior.hpp"
#include "aidc/kernel/interrupt.hpp"
#include "aidc/output/atomic_file.hpp"
#include "aidc/report/figures.hpp"
#include "aidc/report/html_report.hpp"
#include "aidc/report/key_figures.hpp"
#include "aidc/report/read_error.hpp"
#include "aidc/report/run_data.hpp"
#include "aidc/run/ensemble.hpp"
#include "aidc/run/run_directory.hpp"
#include "aidc/scenario/loader.hpp"
#include "aidc/scenario/schema.hpp"
#include "aidc/sweep/shard.hpp"
#include "aidc/version.hpp"
#include "options.hpp"
#include "sweep_command.hpp"

namespace {

constexpr int exit_ok = 0;
constexpr int exit_error = 1;
constexpr int exit_bad_input = 2;
constexpr int exit_invariant = 3;

void print_diagnostics(const std::vector<aidc::Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) std::cerr << d.str() << '\n';
}

// Loads a scenario (or the embedded default) with its overrides, printing its problems.
// nullopt if invalid.
std::optional<aidc::ScenarioSpec> load(const std::string& path, const std::vector<std::string>& overrides) {
  try {
    aidc::ScenarioSpec spec =
        path.empty() ? aidc::load_default_scenario(overrides) : aidc::load_scenario_file(path, overrides);
    print_diagnostics(spec.warnings);
    return spec;
  } catch (const aidc::ScenarioError& e) {
    print_diagnostics(e.diagnostics());
    const std::size_t errors = static_cast<std::size_t>(
        std::count_if(e.diagnostics().begin(), e.diagnostics().end(),
                      [](const aidc::Diagnostic& d) { return d.severity == aidc::Diagnostic::Severity::error; }));
    std::cerr << (path.empty() ? "<embedded>/baseline.yaml" : path) << ": " << errors << " error"
              << (errors == 1 ? "" : "s") << "; nothing was run\n";
    return std::nullopt;
  }
}

// Shows how far a run has got on stderr: rewritten in place on a terminal (only once a run has
// taken half a second), or one line per simulated year when asked for with --progress elsewhere.
aidc::RunProgress progress_indicator(bool forced) {
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  if (!terminal && !forced) return {};
  const auto start = std::chrono::steady_clock::now();
  auto last = start;
  return [=](aidc::Quarter done, aidc::Quarter end) mutable {
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start).count();
    const int total = end - done;  // quarters still to run
    if (terminal) {
      if ((!forced && elapsed < 0.5) || (now - last < std::chrono::milliseconds(100) && total > 0)) return;
      last = now;
      std::fprintf(stderr, "\r  simulating %s, %d quarter%s to go (%.1f s)\x1b[K", done.str().c_str(), total,
                   total == 1 ? "" : "s", elapsed);
      if (total == 0) std::fprintf(stderr, "\r\x1b[K");
    } else if (done.quarter_of_year() == 4 || total == 0) {
      std::fprintf(stderr, "progress: %s done, %d quarter%s to go (%.1f s)\n", done.str().c_str(), total,
                   total == 1 ? "" : "s", elapsed);
    }
    std::fflush(stderr);
  };
}

// A run stopped by SIGINT or SIGTERM: one line on stderr (after the progress line, if any).
int interrupted(const aidc::Interrupted& e) {
  if (::isatty(STDERR_FILENO) == 1) std::cerr << "\r\x1b[K";
  std::cerr << "aidcsim: interrupted by " << e.what() << "; nothing written\n";
  return aidc::interrupted_exit_code(e.signal());
}

int command_run(const std::string& scenario_path, const std::vector<std::string>& overrides, const std::string& out_dir,
                std::optional<std::uint64_t> seed, bool with_report, bool progress) {
  auto spec = load(scenario_path, overrides);
  if (!spec) return exit_bad_input;
  const std::uint64_t run_seed = seed.value_or(spec->run.seed);
  spdlog::info("running {} ({}..{}, seed {})", spec->name, spec->run.start.str(), spec->run.end.str(), run_seed);
  aidc::install_interrupt_handlers();
  try {
    const aidc::RunResult result = aidc::run_scenario(*spec, run_seed, progress_indicator(progress));
    const aidc::WrittenRun written = aidc::write_run_directory(out_dir, *spec, run_seed, result, with_report);
    std::cout << aidc::format_run_text(*spec, result, written, out_dir, with_report);
    return exit_ok;
  } catch (const aidc::InvariantViolation& e) {
    std::cerr << "aidcsim: " << e.what() << "\nnothing was written\n";
    return exit_invariant;
  } catch (const aidc::Interrupted& e) {
    return interrupted(e);
  } catch (const aidc::OutputError& e) {
    std::cerr << "aidcsim: " << e.what() << '\n';
    return exit_error;
  }
}

// How far an ensemble has got, on stderr: rewritten in place on a terminal, or a line every 10% of
// the seeds with --progress elsewhere.
std::function<void(std::size_t, std::size_t)> ensemble_progress(bool forced) {
  const bool terminal = ::isatty(STDERR_FILENO) == 1;
  if (!terminal && !forced) return {};
  const auto start = std::chrono::steady_clock::now();
  return [=](std::size_t done, std::size_t total) {
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (terminal) {
      std::fprintf(stderr, "\r  ensemble: %zu of %zu seeds done (%.1f s)\x1b[K", done, total, elapsed);
      if (done == total) std::fprintf(stderr, "\r\x1b[K");
    } else if (done == total || (done * 10 / total) != ((done - 1) * 10 / total)) {
      std::fprintf(stderr, "progress: %zu of %zu seeds done (%.1f s)\n", done, total, elapsed);
    }
    std::fflush(stderr);
  };
}

// Options of `run` for an ensemble.
struct EnsembleArgs {
  std::string seeds;  // "" for one run
  std::string posterior;  // "" : no posterior file
  std::size_t jobs = 0;  // 0: every core
  bool per_seed = false;
};

// `run --seeds`: the seeds are checked before anything is loaded or written.
int command_run_ensemble(const std::string& scenario_path, const std::vector<std::string>& overrides,
                         const std::string& out_dir, const EnsembleArgs& args, bool with_report, bool progress) {
  std::string problem;
  auto seeds = aidc::parse_seed_list(args.seeds, problem);
  if (!seeds) {
    std::cerr << "aidcsim run: --seeds: " << problem << "\nnothing was run\n";
    return exit_bad_input;
  }
  auto spec = load(scenario_path, overrides);
  if (!spec) return exit_bad_input;
  aidc::EnsembleOptions options;
  options.seeds = std::move(*seeds);
  options.jobs = args.jobs > 0 ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  options.progress = ensemble_progress(progress);
  spdlog::info("running {} ({}..{}) with {} seeds, {} at a time", spec->name, spec->run.start.str(),
               spec->run.end.str(), options.seeds.size(), std::min(options.jobs, options.seeds.size()));
  aidc::install_interrupt_handlers();
  std::filesystem::path staged;  // DIR/.seeds.tmp.<pid>: each seed's run until all are done
  std::error_code exists_ec;
  const bool dir_existed = std::filesystem::exists(out_dir, exists_ec);
  // A failed or interrupted ensemble leaves nothing: its staged seeds go, and the output
  // directory too if it made it (and it is still empty).
  const auto discard_staged = [&] {
    std::error_code ec;
    if (!staged.empty()) std::filesystem::remove_all(staged, ec);
    if (!dir_existed && args.per_seed) std::filesystem::remove(out_dir, ec);
  };
  try {
    if (args.per_seed) {
      aidc::ensure_output_directory(out_dir);
      staged = std::filesystem::path(out_dir) / (".seeds.tmp." + std::to_string(::getpid()));
      std::error_code ec;
      if (!std::filesystem::create_directory(staged, ec)) {
        const std::string why = ec ? ec.message() : "the name is taken";
        staged.clear();
        throw aidc::OutputError("cannot create " + (std::filesystem::path(out_dir) / ".seeds.tmp.").string() +
                                std::to_string(::getpid()) + ": " + why);
      }
      options.per_seed_dir = staged;
    }
    const aidc::EnsembleResult ensemble = aidc::run_ensemble(*spec, options);
    if (ensemble.threads < std::min(options.jobs, options.seeds.size())) {
      spdlog::warn("only {} of {} worker threads could start", ensemble.threads, options.jobs);
    }
    const aidc::WrittenRun written = aidc::write_ensemble_directory(out_dir, *spec, ensemble, with_report);
    if (!staged.empty()) {
      aidc::throw_if_interrupted("writing " + (std::filesystem::path(out_dir) / "seeds").string());
      aidc::commit_seed_directories(staged, out_dir);
      staged.clear();
    }
    std::cout << aidc::format_ensemble_text(*spec, ensemble, written, out_dir, with_report);
    if (args.per_seed) std::cout << "each seed's run: " << (std::filesystem::path(out_dir) / "seeds").string() << "/<seed>/\n";
    return exit_ok;
  } catch (const aidc::InvariantViolation& e) {
    discard_staged();
    std::cerr << "aidcsim: " << e.what() << "\nnothing was written\n";
    return exit_invariant;
  } catch (const aidc::Interrupted& e) {
    discard_staged();
    return interrupted(e);
  } catch (const aidc::OutputError& e) {
    discard_staged();
    std::cerr << "aidcsim: " << e.what() << '\n';
    return exit_error;
  } catch (...) {
    discard_staged();
    throw;
  }
}

// `run --posterior FILE`: the scenario once per parameter set of the file, row i with seed
// SEED + i; every row checked against the scenario before anything runs or is written.
int command_run_posterior(const std::string& scenario_path, const std::vector<std::string>& overrides,
                          const std::string& out_dir, std::optional<std::uint64_t> seed, const EnsembleArgs& args,
                          bool with_report, bool progress) {
  std::vector<aidc::ScenarioSpec> specs;
  std::optional<aidc::ScenarioSpec> spec;
  try {
    const aidc::PosteriorSample sample = aidc::read_posterior_csv(args.posterior);
    spec = load(scenario_path, overrides);
    if (!spec) return exit_bad_input;
    const aidc::ScenarioTemplate base =
        scenario_path.empty() ? aidc::ScenarioTemplate::default_scenario() : aidc::ScenarioTemplate::from_file(scenario_path);
    specs = aidc::posterior_scenarios(base, overrides, sample);
  } catch (const aidc::ScenarioError& e) {
    print_diagnostics(e.diagnostics());
    std::cerr << "aidcsim: nothing was run\n";
    return exit_bad_input;
  }
  const std::uint64_t base_seed = seed.value_or(spec->run.seed);
  const std::size_t jobs = args.jobs > 0 ? args.jobs : std::max(1u, std::thread::hardware_concurrency());
  spdlog::info("running {} ({}..{}) over {} parameter sets of {} (seeds {}..{}), {} at a time", spec->name,
               spec->run.start.str(), spec->run.end.str(), specs.size(), args.posterior, base_seed,
               base_seed + specs.size() - 1, std::min(jobs, specs.size()));
  aidc::install_interrupt_handlers();
  try {
    const aidc::EnsembleResult ensemble = aidc::run_posterior_ensemble(specs, base_seed, jobs, ensemble_progress(progress));
    aidc::throw_if_interrupted("writing " + out_dir);
    const aidc::WrittenRun written = aidc::write_ensemble_directory(out_dir, *spec, ensemble, with_report);
    std::cout << "over the parameter sets of " << args.posterior << " (row i with seed " << base_seed << " + i)\n"
              << aidc::format_ensemble_text(*spec, ensemble, written, out_dir, with_report);
    return exit_ok;
  } catch (const aidc::InvariantViolation& e) {
    std::cerr << "aidcsim: " << e.what() << "\nnothing was written\n";
    return exit_invariant;
  } catch (const aidc::Interrupted& e) {
    return interrupted(e);
  } catch (const aidc::OutputError& e) {
    std::cerr << "aidcsim: " << e.what() << '\n';
    return exit_error;
  }
}

// An -o file may name a directory that does not exist yet.
void ensure_parent_directory(const std::filesystem::path& file) {
  if (file.has_parent_path()) aidc::ensure_output_directory(file.parent_path());
}

// An output file the user named that cannot be one (a device such as /dev/null, a pipe, a
// directory, or a link to one): refused before any work, as bad input. True if refused.
bool refused_output(const std::string& file) {
  const std::string why = aidc::output_file_refusal(file);
  if (!why.empty()) std::cerr << "aidcsim: cannot write " << why << "\nnothing was written\n";
  return !why.empty();
}

// `report` and `compare` take their figures option as svg or png.
std::optional<aidc::FigureFormat> figure_format(const std::string& name) {
  if (name == "svg") return aidc::FigureFormat::svg;
  if (name == "png") return aidc::FigureFormat::png;
  return std::nullopt;
}

int write_figures_of(const std::vector<const aidc::RunData*>& runs, bool per_agent, const std::string& format,
                     const std::filesystem::path& dir) {
  const auto charts = aidc::report_charts(runs, per_agent);
  const auto files = aidc::write_figures(runs, charts, *figure_format(format), dir);
  std::cout << "wrote " << files.size() << ' ' << format << " figures in " << dir.string() << '\n';
  return exit_ok;
}

// Runs a report or compare step: unreadable run files are bad input (exit 2, nothing written),
// files that cannot be written an output error (exit 1).
// SIGINT and SIGTERM stop it between steps (exit 130 or 143); a file being written is finished
// or removed first (write_file_atomically), so no temporary is left.
template <class Step>
int reading_runs(Step step) {
  aidc::install_interrupt_handlers();
  try {
    return step();
  } catch (const aidc::Interrupted& e) {
    return interrupted(e);
  } catch (const aidc::ReadError& e) {
    std::cerr << "aidcsim: " << e.what() << "\nnothing was written\n";
    return exit_bad_input;
  } catch (const aidc::OutputError& e) {
    std::cerr << "aidcsim: " << e.what() << '\n';
    return exit_error;
  }
}

int command_report(const std::string& run_dir, std::string output, const std::string& figures,
                   std::string figures_dir) {
  if (output.empty()) output = (std::filesystem::path(run_dir) / "report.html").string();
  if (refused_output(output)) return exit_bad_input;
  return reading_runs([&] {
    const aidc::RunData run = aidc::read_run_directory(run_dir);
    aidc::throw_if_interrupted("reading " + run_dir);
    const std::string html = aidc::format_report_html(run);
    aidc::throw_if_interrupted("writing " + output);
    ensure_parent_directory(output);
    aidc::write_file_atomically(output, html);
    std::cout << "wrote " << output << '\n';
    if (!figures.empty()) {
      if (figures_dir.empty()) figures_dir = (std::filesystem::path(run_dir) / "figures").string();
      aidc::throw_if_interrupted("writing figures in " + figures_dir);
      return write_figures_of({&run}, true, figures, figures_dir);
    }
    return exit_ok;
  });
}

int command_compare(const std::vector<std::string>& run_dirs, const std::string& output,
                    const aidc::KeyThresholds& thresholds, const std::string& figures, std::string figures_dir) {
  if (refused_output(output)) return exit_bad_input;
  return reading_runs([&] {
    std::vector<aidc::RunData> runs;
    for (const auto& d : run_dirs) {
      runs.push_back(aidc::read_run_directory(d));
      aidc::throw_if_interrupted("reading " + d);
    }
    const std::string html = aidc::format_compare_html(runs, thresholds);
    aidc::throw_if_interrupted("writing " + output);
    ensure_parent_directory(output);
    aidc::write_file_atomically(output, html);
    std::cout << "wrote " << output << '\n';
    if (!figures.empty()) {
      std::vector<const aidc::RunData*> pointers;
      for (const auto& r : runs) pointers.push_back(&r);
      if (figures_dir.empty()) figures_dir = (std::filesystem::path(output).parent_path() / "compare-figures").string();
      aidc::throw_if_interrupted("writing figures in " + figures_dir);
      return write_figures_of(pointers, false, figures, figures_dir);
    }
    return exit_ok;
  });
}

int command_validate(const std::vector<std::string>& files, const std::vector<std::string>& overrides, bool resolved) {
  int status = exit_ok;
  for (const auto& f : files) {
    if (aidc::cli::is_sweep_file(f)) {
      if (!overrides.empty()) {
        std::cerr << "aidcsim validate: --set applies to scenarios; " << f << " is a sweep file (use its `set:` list)\n";
        status = exit_bad_input;
        continue;
      }
      if (aidc::cli::validate_sweep_file(f) != exit_ok) status = exit_bad_input;
      continue;
    }
    const auto spec = load(f, overrides);
    if (!spec) {
      status = exit_bad_input;
      continue;
    }
    if (resolved) std::cout << "# " << f << ", resolved\n" << spec->resolved_yaml;
    std::cout << f << ": ok (" << spec->chips.size() << " chips, " << spec->vendors.size() << " vendors, "
              << spec->regions.size() << " regions, " << spec->sites.size() << " sites, " << spec->agents.size()
              << " agents, " << spec->run.start.str() << ".." << spec->run.end.str() << ")\n";
  }
  return status;
}

int command_show(const std::string& path, const std::vector<std::string>& overrides, bool resolved) {
  const auto spec = load(path, overrides);
  if (!spec) return exit_bad_input;
  std::cout << (resolved ? spec->resolved_yaml : spec->text);
  return exit_ok;
}

struct CalibrateArgs {
  std::string scenario;
  std::string targets;
  std::vector<std::string> params;
  std::string overlay = "fit.yaml";
  std::string report;
  std::string method = "nlopt";
  std::optional<std::uint64_t> seed;  // lm
  int max_iterations = 40;            // lm
  std::string seeds = "20";           // nlopt: the ensemble
  std::string fit_window;             // "" : every target
  int max_evals = 200;
  int local_evals = 100;
  std::string global_algorithm = "GN_CRS2_LM";
  std::string local_algorithm = "LN_BOBYQA";
  std::string profile;  // "" : beside the report (or the overlay)
  std::size_t jobs = 0;
  // abc
  std::size_t waves = 3;
  std::size_t points = 100;
  double cutoff = 3.0;
  double tolerance = 0.1;
  double margin = 0.1;
  std::uint64_t design_seed = 1;
  std::string posterior;  // "" : beside the overlay, FIT.posterior.csv
  std::string waves_dir;  // "" : beside the posterior, POSTERIOR.waves/
  std::string shard;      // "" : every set of each wave
  // --screen
  bool screen = false;
  std::size_t screen_trajectories = 10;
  double screen_threshold = 0.05;
};

// `--seeds` and `--fit-window` of calibrate and backtest, checked before anything runs.
bool parse_ensemble_args(const char* command, const std::string& seeds_text, const std::string& window_text,
                         std::vector<std::uint64_t>& seeds, std::optional<aidc::FitWindow>& window) {
  std::string problem;
  auto parsed = aidc::parse_seed_list(seeds_text, problem);
  if (!parsed) {
    std::cerr << "aidcsim " << command << ": --seeds: " << problem << "\nnothing was run\n";
    return false;
  }
  seeds = std::move(*parsed);
  if (!window_text.empty()) {
    window = aidc::parse_fit_window(window_text, problem);
    if (!window) {
      std::cerr << "aidcsim " << command << ": --fit-window: " << problem << "\nnothing was run\n";
      return false;
    }
  }
  return true;
}

// Runs a long step (`step` assigns its result) with the interrupt handlers installed: each run
// stops at its next quarter and nothing is written. Returns the exit code when it did not finish;
// `writing` names what would have been written, `not_done` what the user is told was not done.
template <class Step>
std::optional<int> run_guarded(const std::string& writing, const char* not_done, Step&& step) {
  aidc::install_interrupt_handlers();
  try {
    step();
    aidc::throw_if_interrupted("writing " + writing);
  } catch (const aidc::Interrupted& e) {
    return interrupted(e);
  } catch (const aidc::ScenarioError& e) {
    print_diagnostics(e.diagnostics());
    std::cerr << "aidcsim: " << not_done << "\n";
    return exit_bad_input;
  } catch (const aidc::InvariantViolation& e) {
    std::cerr << "aidcsim: " << e.what() << "\n" << not_done << "\n";
    return exit_invariant;
  }
  return std::nullopt;
}

std::size_t jobs_or_cores(std::size_t jobs) { return jobs > 0 ? jobs : std::max(1u, std::thread::hardware_concurrency()); }

// The identifiability screen of `calibrate --screen`, before any method: the parameters the
// targets do not identify are dropped from `params` and `markdown` holds the screen's report.
// Returns the exit code when the fit must not go on.
std::optional<int> screen_step(const CalibrateArgs& args, const std::vector<std::uint64_t>& seeds,
                               const std::optional<aidc::FitWindow>& window, const std::vector<aidc::Target>& targets,
                               std::vector<aidc::FitParameter>& params, std::string& markdown) {
  if (!args.screen) return std::nullopt;
  aidc::ScreenOptions options;
  options.seeds = seeds;
  options.fit_window = window;
  options.trajectories = args.screen_trajectories;
  options.threshold = args.screen_threshold;
  options.design_seed = args.design_seed;
  options.jobs = jobs_or_cores(args.jobs);
  spdlog::info("screening {} parameters: {} Morris trajectories over {} seeds", params.size(), options.trajectories,
               seeds.size());
  aidc::Screen screen;
  if (const auto code = run_guarded("the screen", "nothing was fitted", [&] {
        screen = aidc::screen_parameters(args.scenario, params, targets, options);
      })) {
    return code;
  }
  markdown = aidc::format_screen_report(screen) + "\n";
  params = screen.kept();
  if (params.empty()) {
    std::cout << markdown;
    std::cerr << "aidcsim: calibrate --screen: no parameter is identified by the targets; nothing was fitted\n";
    return exit_bad_input;
  }
  return std::nullopt;
}

int command_calibrate_nlopt(const CalibrateArgs& args) {
  const std::string profile =
      !args.profile.empty() ? args.profile
                            : aidc::profile_path_beside(args.report.empty() ? args.overlay : args.report).string();
  if (refused_output(args.overlay) || (!args.report.empty() && refused_output(args.report)) || refused_output(profile)) {
    return exit_bad_input;
  }
  aidc::EnsembleFitOptions options;
  if (!parse_ensemble_args("calibrate", args.seeds, args.fit_window, options.seeds, options.fit_window)) {
    return exit_bad_input;
  }
  options.global_algorithm = args.global_algorithm;
  options.global_evaluations = args.max_evals;
  options.local_algorithm = args.local_algorithm;
  options.local_evaluations = args.local_evals;
  options.jobs = jobs_or_cores(args.jobs);
  std::vector<aidc::FitParameter> params;
  std::vector<aidc::Target> targets;
  try {
    params = aidc::parse_fit_parameters(args.params);
    targets = aidc::read_targets_csv(args.targets);
    (void)aidc::nlopt_algorithm_named(options.global_algorithm, true);
    (void)aidc::nlopt_algorithm_named(options.local_algorithm, false);
  } catch (const aidc::ScenarioError& e) {
    print_diagnostics(e.diagnostics());
    std::cerr << "aidcsim: nothing was fitted\n";
    return exit_bad_input;
  }
  const auto spec = load(args.scenario, {});
  if (!spec) return exit_bad_input;
  std::string screened;
  if (const auto code = screen_step(args, options.seeds, options.fit_window, targets, params, screened)) return *code;
  spdlog::info("fitting {} parameters of {} to {} targets over {} seeds ({} then {})", params.size(), spec->name,
               targets.size(), options.seeds.size(), options.global_algorithm, options.local_algorithm);
  aidc::EnsembleCalibration fit;
  if (const auto code = run_guarded(args.overlay, "nothing was fitted", [&] {
        fit = aidc::calibrate_ensemble(args.scenario, params, targets, options);
      })) {
    return *code;
  }
  const std::string report = aidc::format_ensemble_fit_report(fit, spec->name) + (screened.empty() ? "" : "\n" + screened);
  std::cout << report;
  try {
    ensure_parent_directory(args.overlay);
    aidc::write_file_atomically(args.overlay, aidc::format_overlay_yaml(fit.parameters, fit.fitted, args.scenario, args.overlay));
    if (!args.report.empty()) {
      ensure_parent_directory(args.report);
      aidc::write_file_atomically(args.report, report);
    }
    ensure_parent_directory(profile);
    aidc::write_file_atomically(profile, aidc::format_profile_csv(fit));
  } catch (const aidc::OutputError& e) {
    std::cerr << "aidcsim: " << e.what() << '\n';
    return exit_error;
  }
  std::cout << "\nwrote " << args.overlay << (args.report.empty() ? "" : ", " + args.report) << " and " << profile << '\n';
  return exit_ok;
}

struct BacktestArgs {
  std::string scenario;  // "" : the embedded default
  std::string targets = "scenarios/calibration/record-2023-2024.csv";
  std::string seeds = "20";
  std::string fit_window;
  std::string output;
  std::string facts;  // "" : no facts CSV
  std::string html;   // "" : no HTML page
  std::size_t jobs = 0;
};

int command_backtest(const BacktestArgs& args) {
  for (const auto* path : {&args.output, &args.facts, &args.html}) {
    if (!path->empty() && refused_output(*path)) return exit_bad_input;
  }
  std::vector<std::uint64_t> seeds;
  std::optional<aidc::FitWindow> window;
  if (!parse_ensemble_args("backtest", args.seeds, args.fit_window, seeds, window)) return exit_bad_input;
  std::vector<aidc::Target> targets;
  try {
    targets = aidc::read_targets_csv(args.targets);
  } catch (const aidc::ScenarioError& e) {
    print_diagnostics(e.diagnostics());
    std::cerr << "aidcsim: nothing was run\n";
    return exit_bad_input;
  }
  const auto spec = load(args.scenario, {});
  if (!spec) return exit_bad_input;
  aidc::Backtest backtest;
  if (const auto code = run_guarded("the back-test", "nothing was written", [&] {
        backtest = aidc::run_backtest(*spec, targets, seeds, window, jobs_or_cores(args.jobs));
      })) {
    return *code;
  }
  std::cout << aidc::format_backtest_text(backtest);
  const std::pair<const std::string*, std::string (*)(const aidc::Backtest&)> outputs[] = {
      {&args.output, aidc::format_backtest_csv}, {&args.facts, aidc::format_facts_csv}, {&args.html, aidc::format_backtest_html}};
  bool first = true;
  for (const auto& [path, format] : outputs) {
    if (path->empty()) continue;
    try {
      ensure_parent_directory(*path);
      aidc::write_file_atomically(*path, format(backtest));
    } catch (const aidc::OutputError& e) {
      std::cerr << "aidcsim: " << e.what() << '\n';
      return exit_error;
    }
    std::cout << (first ? "\n" : "") << "wrote " << *path << '\n';
    first = false;
  }
  return exit_ok;
}

// `calibrate --method abc`: history matching in waves; writes the posterior sample, the report,
// each wave's file (read back when the same command runs again) and the best kept set as an overlay.
int command_calibrate_abc(const CalibrateArgs& args) {
  const std::filesystem::path overlay = args.overlay;
  const std::filesystem::path posterior =
      !args.posterior.empty() ? std::filesystem::path(args.posterior)
                              : std::filesystem::path(overlay).replace_extension(".posterior.csv");
  const std::filesystem::path waves_dir =
      !args.waves_dir.empty() ? std::filesystem::path(args.waves_dir)
                              : std::filesystem::path(posterior).replace_extension(".waves");
  if (refused_output(args.overlay) || (!args.report.empty() && refused_output(args.report)) ||
      refused_output(posterior.string())) {
    return exit_bad_input;
  }
  aidc::HistoryMatchOptions options;
  if (!parse_ensemble_args("calibrate", args.seeds, args.fit_window, options.seeds, options.fit_window)) {
    return exit_bad_input;
  }
  options.waves = args.waves;
  options.points = args.points;
  options.cutoff = args.cutoff;
  options.default_tolerance = args.tolerance;
  options.margin = args.margin;
  options.design_seed = args.design_seed;
  options.jobs = jobs_or_cores(args.jobs);
  options.wave_dir = waves_dir;
  if (!args.shard.empty()) {
    options.shard = aidc::sweep::parse_shard(args.shard);
    if (!options.shard) {
      std::cerr << "aidcsim calibrate: --shard: '" << args.shard
                << "' is not a shard; expected K/N with 0 ≤ K < N ≤ 100000, e.g. 0/4\nnothing was run\n";
      return exit_bad_input;
    }
  }
  std::vector<aidc::FitParameter> params;
  std::vector<aidc::Target> targets;
  try {
    params = aidc::parse_fit_parameters(args.params);
    targets = aidc::read_targets_csv(args.targets);
  } catch (const aidc::ScenarioError& e) {
    print_diagnostics(e.diagnostics());
    std::cerr << "aidcsim: nothing was fitted\n";
    return exit_bad_input;
  }
  const auto spec = load(args.scenario, {});
  if (!spec) return exit_bad_input;
  std::string screened;
  if (const auto code = screen_step(args, options.seeds, options.fit_window, targets, params, screened)) return *code;
  spdlog::info("history matching {} parameters of {} to {} targets: {} waves of {} sets over {} seeds (waves in {})",
               params.size(), spec->name, targets.size(), options.waves, options.points, options.seeds.size(),
               waves_dir.string());
  aidc::HistoryMatch match;
  try {
    if (const auto code = run_guarded(posterior.string(), "nothing was fitted", [&] {
          match = aidc::history_match(args.scenario, params, targets, options);
        })) {
      if (*code != exit_bad_input && *code != exit_invariant) {
        std::cerr << "aidcsim: the waves finished are in " << waves_dir.string()
                  << "; the same command goes on after them\n";
      }
      return *code;
    }
  } catch (const aidc::OutputError& e) {
    std::cerr << "aidcsim: " << e.what() << '\n';
    return exit_error;
  }
  if (match.waiting_for_wave > 0) {
    std::cout << "wave " << match.waiting_for_wave << ": shard " << options.shard->index << " of " << options.shard->count
              << " written to " << waves_dir.string() << "; once every shard's part is there, running the same command "
              << "(with any --shard, or none) goes on with it\n";
    return exit_ok;
  }
  const std::string report = aidc::format_history_match_report(match, spec->name) + (screened.empty() ? "" : "\n" + screened);
  std::cout << report;
  const aidc::MatchPoint* best = aidc::best_match(match);
  try {
    ensure_parent_directory(posterior);
    aidc::write_file_atomically(posterior, aidc::format_posterior_csv(match));
    if (best != nullptr) {
      ensure_parent_directory(overlay);
      aidc::write_file_atomically(overlay, aidc::format_overlay_yaml(match.parameters, best->x, args.scenario, overlay));
    }
    if (!args.report.empty()) {
      ensure_parent_directory(args.report);
      aidc::write_file_atomically(args.report, report);
    }
  } catch (const aidc::OutputError& e) {
    std::cerr << "aidcsim: " << e.what() << '\n';
    return exit_error;
  }
  std::cout << "\nwrote " << posterior.string() << (best != nullptr ? ", " + overlay.string() : std::string())
            << (args.report.empty() ? "" : ", " + args.report) << " and the waves in " << waves_dir.string() << '\n';
  if (best == nullptr) {
    std::cerr << "aidcsim: calibrate --method abc: no parameter set is kept; the posterior is empty (no overlay written)\n";
  }
  return exit_ok;
}

int command_calibrate(const CalibrateArgs& args) {
  if (args.method == "nlopt") return command_calibrate_nlopt(args);
  if (args.method == "abc") return command_calibrate_abc(args);
  if (refused_output(args.overlay) || (!args.report.empty() && refused_output(args.report))) return exit_bad_input;
  std::vector<aidc::FitParameter> params;
  std::vector<aidc::Target> targets;
  std::optional<aidc::ScenarioSpec> spec;
  try {
    params = aidc::parse_fit_parameters(args.params);
    targets = aidc::read_targets_csv(args.targets);
  } catch (const aidc::ScenarioError& e) {
    print_diagnostics(e.diagnostics());
    std::cerr << "aidcsim: nothing was fitted\n";
    return exit_bad_input;
  }
  spec = load(args.scenario, {});
  if (!spec) return exit_bad_input;
  std::string screened;
  if (const auto code = screen_step(args, {args.seed.value_or(spec->run.seed)}, std::nullopt, targets, params, screened)) {
    return *code;
  }
  aidc::LmOptions options;
  options.max_iterations = args.max_iterations;
  aidc::Calibration fit;
  if (const auto code = run_guarded(args.overlay, "nothing was fitted", [&] {
        fit = aidc::calibrate(args.scenario, params, targets, args.seed.value_or(spec->run.seed), options);
      })) {
    return *code;
  }
  const std::string report = aidc::format_fit_report(fit, spec->name) + (screened.empty() ? "" : "\n" + screened);
  std::cout << report;
  try {
    aidc::write_file_atomically(args.overlay, aidc::format_overlay_yaml(fit, args.scenario, args.overlay));
    if (!args.report.empty()) aidc::write_file_atomically(args.report, report);
  } catch (const aidc::OutputError& e) {
    std::cerr << "aidcsim: " << e.what() << '\n';
    return exit_error;
  }
  std::cout << "\nwrote " << args.overlay << (args.report.empty() ? "" : " and " + args.report) << '\n';
  return exit_ok;
}

// What the command line sets: one member per option, bound by reference (a Cli must not move),
// and the subcommands.
struct Cli {
  CLI::App app{"aidcsim: a discrete-event simulator of the AI datacenter buildout"};
  bool show_version = false;
  std::string log_level = "info";
  std::vector<std::string> overrides;  // --set of run, validate and show
  std::string figures;                 // --figures and --figures-dir of report and compare
  std::string figures_dir;

  CLI::App* run = nullptr;
  std::string scenario_path;
  std::string out_dir = "out";
  std::optional<std::uint64_t> seed;
  bool run_report = false;
  bool run_progress = false;
  EnsembleArgs ensemble;

  CLI::App* report = nullptr;
  std::string report_dir;
  std::string report_output;

  CLI::App* compare = nullptr;
  std::vector<std::string> compare_dirs;
  std::string compare_output = "compare.html";
  aidc::KeyThresholds thresholds;

  CLI::App* validate = nullptr;
  std::vector<std::string> files;
  bool validate_resolved = false;

  CLI::App* schema = nullptr;

  CLI::App* show = nullptr;
  std::string show_path;
  bool resolved = false;

  CLI::App* calibrate = nullptr;
  CalibrateArgs cal;

  CLI::App* backtest = nullptr;
  BacktestArgs bt;

  aidc::cli::SweepCommand sweep_command;
};

constexpr const char* set_help =
    "Override a value: key.path=value (repeatable), e.g. agents.meta.strategy.momentum=0.8, "
    "'agents[kind=hyperscaler].cash=$5B' (every item picked), 'events+={name: x, kind: …}' (append)";

// --version and --log-level.
void add_global_options(Cli& c) {
  c.app.add_flag("--version", c.show_version, "Print the version and exit");
  c.app.require_subcommand(0, 1);

  c.app.add_option("--log-level", c.log_level, "Log level on stderr")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();
}

// `run`: one run, or an ensemble with --seeds.
void add_run_command(Cli& c) {
  c.run = c.app.add_subcommand("run", "Run a scenario and write its results");
  c.run->add_option("scenario", c.scenario_path, "Scenario YAML (default: the embedded default scenario)");
  c.run->add_option("-o,--output", c.out_dir, "Directory for the data files (timeseries.csv, agents.csv…, events.jsonl, run.json)")
      ->capture_default_str();
  c.run->add_option("--seed", c.seed,
                    "Random seed (default: the scenario's run.seed); with --posterior, row i runs with SEED + i");
  c.run->add_option("--set", c.overrides, set_help)->allow_extra_args(false);
  c.run->add_option("--log-level", c.log_level, "Log level on stderr")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
  c.run->add_flag("--report", c.run_report, "Also write DIR/report.html (as `aidcsim report DIR` does)");
  c.run->add_flag("--progress", c.run_progress,
                  "Show progress on stderr even when it is not a terminal (on a terminal it shows for long runs)");
  auto* seeds_option =
      c.run->add_option("--seeds", c.ensemble.seeds,
                        "Run an ensemble: N (seeds 1 to N) or A-B (seeds A to B), at most 10000; the files hold the "
                        "median across seeds, ensemble.csv the quantiles, seeds.csv each seed's key figures");
  c.run->get_option("--seed")->excludes(seeds_option);
  c.run->add_option("--posterior", c.ensemble.posterior,
                    "Run an ensemble over the parameter sets of a posterior CSV (as `calibrate --method abc` writes: "
                    "a header of key paths, one row per set), row i with seed SEED + i (--seed, default the "
                    "scenario's run.seed); the same files as --seeds, so the bands hold the parameters' uncertainty")
      ->excludes(seeds_option);
  c.run->add_option("-j,--jobs", c.ensemble.jobs,
                    "With --seeds or --posterior: runs at a time, from 1 to 4 per hardware thread (at least 16, at most 1024; "
                  "default: every core)")
      ->check(CLI::Range(std::size_t{1}, aidc::cli::max_jobs()));
  c.run->add_flag("--per-seed", c.ensemble.per_seed, "With --seeds: also write each seed's whole run in DIR/seeds/<seed>/")
      ->needs(seeds_option);
}

// `report` and `compare`: HTML reports of runs.
void add_report_commands(Cli& c) {
  c.report = c.app.add_subcommand("report", "Write a run's interactive HTML report (and static figures)");
  c.report->add_option("dir", c.report_dir, "Output directory of `aidcsim run`")->required();
  c.report->add_option("-o,--output", c.report_output, "The HTML file (default: DIR/report.html)");
  c.report->add_option("--figures", c.figures, "Also write every chart as a file: svg or png (drawn by headless Chromium)")
      ->check(CLI::IsMember({"svg", "png"}));
  c.report->add_option("--figures-dir", c.figures_dir, "Where figures go (default: DIR/figures)");

  c.compare = c.app.add_subcommand("compare", "Overlay several runs on the same charts, with their key differences");
  c.compare->add_option("dirs", c.compare_dirs, "Output directories of `aidcsim run` (two or more)")
      ->required()
      ->expected(2, -1);
  c.compare->add_option("-o,--output", c.compare_output, "The HTML file")->capture_default_str();
  c.compare->add_option("--utilization-high", c.thresholds.utilization_high,
                        "Report the year world utilization first reaches this fraction")
      ->check(aidc::cli::finite_range(0.0, 1.0))
      ->capture_default_str();
  c.compare->add_option("--utilization-low", c.thresholds.utilization_low,
                        "Report the year world utilization first falls below this fraction")
      ->check(aidc::cli::finite_range(0.0, 1.0))
      ->capture_default_str();
  c.compare->add_option("--figures", c.figures, "Also write every chart as a file: svg or png (drawn by headless Chromium)")
      ->check(CLI::IsMember({"svg", "png"}));
  c.compare->add_option("--figures-dir", c.figures_dir, "Where figures go (default: compare-figures next to the HTML file)");
}

// `validate`, `schema` and `show`: scenarios without running them.
void add_scenario_commands(Cli& c) {
  c.validate = c.app.add_subcommand("validate", "Check scenario files; print every problem found");
  c.validate->add_option("files", c.files, "Scenario or sweep YAML files (a sweep file is checked against its base scenario)")->required();
  c.validate->add_option("--set", c.overrides, set_help)->allow_extra_args(false);
  c.validate->add_flag("--resolved", c.validate_resolved, "Also print each scenario as it would run");

  c.schema = c.app.add_subcommand("schema", "Print the scenario reference (every key, unit, default) as Markdown");

  c.show = c.app.add_subcommand("show", "Print a scenario as YAML");
  c.show->add_option("scenario", c.show_path, "Scenario YAML (default: the embedded default scenario)");
  c.show->add_flag("--resolved", c.resolved,
                   "As it would run: `extends` merged, --set applied, every default written in");
  c.show->add_option("--set", c.overrides, set_help)->allow_extra_args(false);
}

// `calibrate`: fits scenario parameters to target series.
void add_calibrate_command(Cli& c) {
  c.calibrate = c.app.add_subcommand(
      "calibrate", "Fit scenario parameters to target series (ensemble objective, NLopt; or history matching, abc)");
  c.calibrate->add_option("scenario", c.cal.scenario, "Scenario YAML to fit")->required();
  c.calibrate->add_option("--targets", c.cal.targets, "CSV: quarter,entity_kind,entity,metric,value[,weight[,tolerance]]")
      ->required();
  c.calibrate->add_option("--params", c.cal.params, "Comma-separated PATH=LO:HI[:START], e.g. demand[us].base=0.5e6:3e6")
      ->required()
      ->delimiter(',');
  c.calibrate->add_option("-o,--output", c.cal.overlay,
                          "The fitted scenario as an overlay YAML (abc: the kept set with the smallest implausibility)")
      ->capture_default_str();
  c.calibrate->add_option("--report", c.cal.report, "Also write the fit report (Markdown) here");
  c.calibrate->add_option("--method", c.cal.method,
                           "nlopt: a global then a local derivative-free search on the ensemble objective; lm: "
                         "Levenberg–Marquardt on one seed (for smooth objectives); abc: history matching in waves, "
                         "the non-implausible sets kept as a posterior sample")
      ->check(CLI::IsMember({"nlopt", "lm", "abc"}))
      ->capture_default_str();
  auto* cal_seeds = c.calibrate->add_option("--seeds", c.cal.seeds,
                                            "nlopt, abc, --screen: the ensemble of every evaluation, N (seeds 1 to N) "
                                            "or A-B; the same seeds at every point (common random numbers)")
                        ->capture_default_str();
  c.calibrate->add_option("--fit-window", c.cal.fit_window,
                          "nlopt, abc, --screen: FIRST-LAST quarters (e.g. 2023Q1-2024Q4) of the targets fitted; the "
                          "others are validation, reported apart (default: every target)");
  c.calibrate->add_option("--max-evals", c.cal.max_evals, "nlopt: evaluations of the global stage at most (0 skips it)")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  c.calibrate->add_option("--local-evals", c.cal.local_evals, "nlopt: evaluations of the local stage at most (0 skips it)")
      ->check(CLI::Range(0, 1000000))
      ->capture_default_str();
  c.calibrate->add_option("--global", c.cal.global_algorithm, "nlopt: the global algorithm (GN_CRS2_LM, GN_DIRECT_L, GN_ESCH…)")
      ->capture_default_str();
  c.calibrate->add_option("--local", c.cal.local_algorithm, "nlopt: the local algorithm (LN_BOBYQA, LN_SBPLX…)")
      ->capture_default_str();
  c.calibrate->add_option("--profile", c.cal.profile,
                          "nlopt: the profile scans' CSV (default: beside the report, FIT.profile.csv, or the overlay)");
  c.calibrate->add_option("--waves", c.cal.waves, "abc: waves of parameter sets")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100}))
      ->capture_default_str();
  c.calibrate->add_option("--points", c.cal.points, "abc: parameter sets per wave (a Latin hypercube)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}))
      ->capture_default_str();
  c.calibrate->add_option("--cutoff", c.cal.cutoff,
                          "abc: a set is kept when every target's implausibility |median − record| / "
                          "√((tolerance·|record|)² + variance across seeds) is at most this")
      ->check(aidc::cli::finite_range(0.0, 1e6))
      ->capture_default_str();
  c.calibrate->add_option("--tolerance", c.cal.tolerance,
                          "abc: a target's tolerance, as a share of its record, when the targets file gives none")
      ->check(aidc::cli::finite_range(0.0, 1e6))
      ->capture_default_str();
  c.calibrate->add_option("--margin", c.cal.margin,
                          "abc: each later wave samples the previous wave's kept sets' bounding box, widened on each "
                          "side by this share of the previous wave's box")
      ->check(aidc::cli::finite_range(0.0, 10.0))
      ->capture_default_str();
  c.calibrate->add_option("--design-seed", c.cal.design_seed, "abc, --screen: the seed of the designs")->capture_default_str();
  c.calibrate->add_option("--posterior", c.cal.posterior,
                          "abc: the posterior sample's CSV (default: beside the overlay, FIT.posterior.csv); "
                          "`aidcsim run --posterior` runs it");
  c.calibrate->add_option("--waves-dir", c.cal.waves_dir,
                          "abc: each finished wave's file, read back when the same command runs again (default: "
                          "beside the posterior, POSTERIOR.waves/)");
  c.calibrate->add_option("--shard", c.cal.shard,
                          "abc: run only block K of N (0-based) of each wave's sets, e.g. a Slurm array task's "
                          "$SLURM_ARRAY_TASK_ID/N; a wave goes on once every shard's file is in --waves-dir");
  c.calibrate->add_flag("--screen", c.cal.screen,
                        "Before the fit, a Morris screen of the parameters on the objective: those whose μ* is below "
                        "--screen-threshold of the largest are not identified by the targets and are left out");
  c.calibrate->add_option("--screen-trajectories", c.cal.screen_trajectories, "--screen: Morris trajectories")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
  c.calibrate->add_option("--screen-threshold", c.cal.screen_threshold,
                          "--screen: not identified below this share of the largest μ*")
      ->check(aidc::cli::finite_range(0.0, 1.0))
      ->capture_default_str();
  c.calibrate->add_option("-j,--jobs", c.cal.jobs, "nlopt, abc, --screen: runs at a time (default: every core)")
      ->check(CLI::Range(std::size_t{1}, aidc::cli::max_jobs()));
  auto* cal_seed = c.calibrate->add_option("--seed", c.cal.seed, "lm: random seed (default: the scenario's run.seed)");
  cal_seed->excludes(cal_seeds);
  c.calibrate->add_option("--max-iterations", c.cal.max_iterations, "lm: Levenberg–Marquardt iterations at most")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  c.calibrate->add_option("--log-level", c.log_level, "Log level on stderr")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
}

// `backtest`: target series against the scenario's ensemble.
void add_backtest_command(Cli& c) {
  c.backtest = c.app.add_subcommand(
      "backtest", "Set every target series against the scenario's ensemble: median, 5–95% band, errors by window");
  c.backtest->add_option("scenario", c.bt.scenario, "Scenario YAML (default: the embedded default scenario)");
  c.backtest->add_option("--targets", c.bt.targets, "CSV: quarter,entity_kind,entity,metric,value[,weight]")
      ->capture_default_str();
  c.backtest->add_option("--seeds", c.bt.seeds, "The ensemble: N (seeds 1 to N) or A-B")->capture_default_str();
  c.backtest->add_option("--fit-window", c.bt.fit_window,
                         "FIRST-LAST quarters of the in-sample targets (e.g. 2023Q1-2024Q4); the others are validation");
  c.backtest->add_option("-o,--output", c.bt.output, "Also write the table as CSV here");
  c.backtest->add_option("--facts", c.bt.facts, "Also write the stylized facts as CSV here");
  c.backtest->add_option("--html", c.bt.html, "Also write the back-test as a self-contained HTML page here");
  c.backtest->add_option("-j,--jobs", c.bt.jobs, "Runs at a time (default: every core)")
      ->check(CLI::Range(std::size_t{1}, aidc::cli::max_jobs()));
  c.backtest->add_option("--log-level", c.log_level, "Log level on stderr")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
}

// Runs the command the parsed command line names; returns the exit code.
int dispatch(Cli& c) {
  if (c.show_version) {
    std::cout << "aidcsim " << aidc::version << " (" << aidc::build_type << ")\n";
    return exit_ok;
  }
  if (c.schema->parsed()) {
    std::cout << aidc::scenario_reference_markdown();
    return exit_ok;
  }
  if (!c.run->parsed() && !c.validate->parsed() && !c.show->parsed() && !c.calibrate->parsed() && !c.report->parsed() &&
      !c.compare->parsed() && !c.backtest->parsed() && !c.sweep_command.app->parsed()) {
    std::cerr << c.app.help()
              << "\naidcsim: a command is required (run, validate, show, schema, calibrate, backtest, report, compare, sweep)\n";
    return exit_bad_input;
  }

  auto logger = spdlog::stderr_color_mt("aidcsim");
  logger->set_pattern("%^[%l]%$ %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(c.log_level));

  try {
    if (c.run->parsed() && c.run->count("--posterior") > 0) {
      return command_run_posterior(c.scenario_path, c.overrides, c.out_dir, c.seed, c.ensemble, c.run_report,
                                   c.run_progress);
    }
    if (c.run->parsed() && c.run->count("--seeds") > 0) {
      return command_run_ensemble(c.scenario_path, c.overrides, c.out_dir, c.ensemble, c.run_report, c.run_progress);
    }
    if (c.run->parsed()) return command_run(c.scenario_path, c.overrides, c.out_dir, c.seed, c.run_report, c.run_progress);
    if (c.report->parsed()) return command_report(c.report_dir, c.report_output, c.figures, c.figures_dir);
    if (c.compare->parsed()) return command_compare(c.compare_dirs, c.compare_output, c.thresholds, c.figures, c.figures_dir);
    if (c.show->parsed()) return command_show(c.show_path, c.overrides, c.resolved);
    if (c.calibrate->parsed()) return command_calibrate(c.cal);
    if (c.backtest->parsed()) return command_backtest(c.bt);
    if (c.sweep_command.app->parsed()) return aidc::cli::run_sweep_command(c.sweep_command);
    return command_validate(c.files, c.overrides, c.validate_resolved);
  } catch (const std::exception& e) {
    std::cerr << "aidcsim: internal error: " << e.what() << '\n';
    return exit_error;
  }
}

}  // namespace

int main(int argc, char** argv) {
  Cli c;
  add_global_options(c);
  add_run_command(c);
  add_report_commands(c);
  add_scenario_commands(c);
  add_calibrate_command(c);
  add_backtest_command(c);
  aidc::cli::add_sweep_command(c.app, c.sweep_command);

  try {
    c.app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = c.app.exit(e);
    return code == 0 ? exit_ok : exit_bad_input;
  }
  return dispatch(c);
}
