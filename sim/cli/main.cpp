// aidcsim: the command-line entry point. Parses arguments and wires the layers; no model logic.
//
// Exit codes: 0 success; 1 output or internal error; 2 bad input (scenario or arguments);
// 3 the model broke an invariant (a bug or an extreme scenario: the message says where).

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "aidc/calibrate/calibration.hpp"
#include "aidc/model/world.hpp"
#include "aidc/output/atomic_file.hpp"
#include "aidc/output/run.hpp"
#include "aidc/output/run_info.hpp"
#include "aidc/output/summary.hpp"
#include "aidc/output/events_jsonl.hpp"
#include "aidc/output/timeseries_csv.hpp"
#include "aidc/scenario/loader.hpp"
#include "aidc/scenario/schema.hpp"
#include "aidc/version.hpp"

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

int command_run(const std::string& scenario_path, const std::vector<std::string>& overrides, const std::string& out_dir,
                std::optional<std::uint64_t> seed) {
  auto spec = load(scenario_path, overrides);
  if (!spec) return exit_bad_input;
  const std::uint64_t run_seed = seed.value_or(spec->run.seed);
  spdlog::info("running {} ({}..{}, seed {})", spec->name, spec->run.start.str(), spec->run.end.str(), run_seed);

  aidc::RunResult result;
  try {
    result = aidc::run_scenario(*spec, run_seed);
  } catch (const aidc::InvariantViolation& e) {
    std::cerr << "aidcsim: " << e.what() << "\nnothing was written\n";
    return exit_invariant;
  }

  aidc::RunInfo info;
  info.scenario_name = spec->name;
  info.scenario_source = spec->source;
  info.scenario_hash = aidc::scenario_hash(spec->resolved_yaml);
  info.overrides = spec->overrides;
  info.seed = run_seed;
  info.start = spec->run.start.str();
  info.end = spec->run.end.str();
  info.events_executed = result.events_executed;
  info.wall_seconds = result.wall_seconds;
  info.outputs = {"timeseries.csv", "events.jsonl"};
  try {
    const std::filesystem::path dir(out_dir);
    aidc::ensure_output_directory(dir);
    aidc::write_file_atomically(dir / "timeseries.csv", aidc::format_timeseries_csv(result.recorder));
    aidc::write_file_atomically(dir / "events.jsonl", aidc::format_events_jsonl(result.events.events()));
    aidc::write_file_atomically(dir / "run.json", aidc::format_run_json(info));
  } catch (const aidc::OutputError& e) {
    std::cerr << "aidcsim: " << e.what() << '\n';
    return exit_error;
  }
  std::cout << spec->name << " (" << spec->source << "), seed " << run_seed << ", " << info.start << ".." << info.end
            << "\n\n"
            << aidc::format_summary(result.recorder, spec->run.start, spec->run.end) << "\nwrote "
            << (std::filesystem::path(out_dir) / "timeseries.csv").string() << ", "
            << (std::filesystem::path(out_dir) / "events.jsonl").string() << " and "
            << (std::filesystem::path(out_dir) / "run.json").string() << '\n';
  return exit_ok;
}

int command_validate(const std::vector<std::string>& files, const std::vector<std::string>& overrides, bool resolved) {
  int status = exit_ok;
  for (const auto& f : files) {
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
  std::optional<std::uint64_t> seed;
  int max_iterations = 40;
};

int command_calibrate(const CalibrateArgs& args) {
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
  aidc::LmOptions options;
  options.max_iterations = args.max_iterations;
  aidc::Calibration fit;
  try {
    fit = aidc::calibrate(args.scenario, params, targets, args.seed.value_or(spec->run.seed), options);
  } catch (const aidc::ScenarioError& e) {
    print_diagnostics(e.diagnostics());
    std::cerr << "aidcsim: nothing was fitted\n";
    return exit_bad_input;
  } catch (const aidc::InvariantViolation& e) {
    std::cerr << "aidcsim: " << e.what() << "\nnothing was fitted\n";
    return exit_invariant;
  }
  const std::string report = aidc::format_fit_report(fit, spec->name);
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

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"aidcsim: a discrete-event simulator of the AI datacenter buildout"};
  bool show_version = false;
  app.add_flag("--version", show_version, "Print the version and exit");
  app.require_subcommand(0, 1);

  std::string log_level = "info";
  app.add_option("--log-level", log_level, "Log level on stderr")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}))
      ->capture_default_str();

  auto* run = app.add_subcommand("run", "Run a scenario and write its results");
  std::string scenario_path;
  std::string out_dir = "out";
  std::optional<std::uint64_t> seed;
  run->add_option("scenario", scenario_path, "Scenario YAML (default: the embedded default scenario)");
  run->add_option("-o,--output", out_dir, "Directory for timeseries.csv, events.jsonl and run.json")->capture_default_str();
  run->add_option("--seed", seed, "Random seed (default: the scenario's run.seed)");
  std::vector<std::string> overrides;
  const char* set_help = "Override a value: key.path=value (repeatable), e.g. agents.meta.strategy.momentum=0.8";
  run->add_option("--set", overrides, set_help)->allow_extra_args(false);
  run->add_option("--log-level", log_level, "Log level on stderr")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

  auto* validate = app.add_subcommand("validate", "Check scenario files; print every problem found");
  std::vector<std::string> files;
  validate->add_option("files", files, "Scenario YAML files")->required();
  validate->add_option("--set", overrides, set_help)->allow_extra_args(false);
  bool validate_resolved = false;
  validate->add_flag("--resolved", validate_resolved, "Also print each scenario as it would run");

  auto* schema = app.add_subcommand("schema", "Print the scenario reference (every key, unit, default) as Markdown");

  auto* show = app.add_subcommand("show", "Print a scenario as YAML");
  std::string show_path;
  bool resolved = false;
  show->add_option("scenario", show_path, "Scenario YAML (default: the embedded default scenario)");
  show->add_flag("--resolved", resolved,
                 "As it would run: `extends` merged, --set applied, every default written in");
  show->add_option("--set", overrides, set_help)->allow_extra_args(false);

  auto* calibrate = app.add_subcommand("calibrate", "Fit scenario parameters to target series by least squares");
  CalibrateArgs cal;
  calibrate->add_option("scenario", cal.scenario, "Scenario YAML to fit")->required();
  calibrate->add_option("--targets", cal.targets, "CSV: quarter,entity_kind,entity,metric,value[,weight]")->required();
  calibrate->add_option("--params", cal.params, "Comma-separated PATH=LO:HI[:START], e.g. demand[us].base=0.5e6:3e6")
      ->required()
      ->delimiter(',');
  calibrate->add_option("-o,--output", cal.overlay, "The fitted scenario as an overlay YAML")->capture_default_str();
  calibrate->add_option("--report", cal.report, "Also write the fit report (Markdown) here");
  calibrate->add_option("--seed", cal.seed, "Random seed (default: the scenario's run.seed)");
  calibrate->add_option("--max-iterations", cal.max_iterations, "Levenberg–Marquardt iterations at most")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  calibrate->add_option("--log-level", log_level, "Log level on stderr")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? exit_ok : exit_bad_input;
  }

  if (show_version) {
    std::cout << "aidcsim " << aidc::version << " (" << aidc::build_type << ")\n";
    return exit_ok;
  }
  if (schema->parsed()) {
    std::cout << aidc::scenario_reference_markdown();
    return exit_ok;
  }
  if (!run->parsed() && !validate->parsed() && !show->parsed() && !calibrate->parsed()) {
    std::cerr << app.help() << "\naidcsim: a command is required (run, validate, show, schema, calibrate)\n";
    return exit_bad_input;
  }

  auto logger = spdlog::stderr_color_mt("aidcsim");
  logger->set_pattern("%^[%l]%$ %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(log_level));

  try {
    if (run->parsed()) return command_run(scenario_path, overrides, out_dir, seed);
    if (show->parsed()) return command_show(show_path, overrides, resolved);
    if (calibrate->parsed()) return command_calibrate(cal);
    return command_validate(files, overrides, validate_resolved);
  } catch (const std::exception& e) {
    std::cerr << "aidcsim: internal error: " << e.what() << '\n';
    return exit_error;
  }
}
