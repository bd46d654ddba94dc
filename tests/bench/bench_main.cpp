// aidc_bench: the benchmarks of docs/performance.md (Google Benchmark), and a one-run mode for
// the measurements made from outside the process (peak memory, instruction counts).
//
//   aidc_bench [--scenario NAME=FILE]… [Google Benchmark flags]
//       hold_simulator/N, hold_event_queue/N, hold_reference/N: the hold model at N pending
//       events (events/s as items_per_second); run/NAME: whole runs of each scenario, parsed
//       once, run with run_scenario per iteration (runs/s as items_per_second). Without
//       --scenario, run/baseline runs the embedded default scenario.
//   aidc_bench --run-once FILE
//       loads FILE, runs it once and prints one JSON line: events run, the run's wall and CPU
//       seconds, sites, agents, quarters and the process's peak resident memory. Profilers
//       select the run with --toggle-collect='aidc::run_scenario*'.
//
// Exit codes: 0 done, 2 bad arguments or an invalid scenario, 3 the model broke an invariant.

#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <time.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aidc/model/world.hpp"
#include "aidc/run/run_scenario.hpp"
#include "aidc/text/diagnostic.hpp"
#include "aidc/scenario/loader.hpp"
#include "hold.hpp"

namespace {

constexpr int exit_bad_input = 2;
constexpr int exit_invariant = 3;
constexpr std::uint64_t hold_seed = 42;

// ~1,000 events per iteration at the hold model's 20 events per quarter.
constexpr std::int32_t hold_quarters_per_iteration = 50;

void hold_simulator(benchmark::State& state) {
  aidc::bench::SimulatorHold hold(static_cast<std::size_t>(state.range(0)), hold_seed);
  std::uint64_t events = 0;
  for (auto _ : state) events += hold.run_quarters(hold_quarters_per_iteration);
  benchmark::DoNotOptimize(hold.work().checksum);
  state.SetItemsProcessed(static_cast<std::int64_t>(events));
}

void hold_event_queue(benchmark::State& state) {
  aidc::bench::EventQueueHold hold(static_cast<std::size_t>(state.range(0)), hold_seed);
  for (auto _ : state) hold.step();
  benchmark::DoNotOptimize(hold.work().checksum);
  state.SetItemsProcessed(state.iterations());
}

void hold_reference(benchmark::State& state) {
  aidc::bench::ReferenceHold hold(static_cast<std::size_t>(state.range(0)), hold_seed);
  for (auto _ : state) hold.step();
  benchmark::DoNotOptimize(hold.work().checksum);
  state.SetItemsProcessed(state.iterations());
}

// Whole runs of one parsed scenario: the world, the kernel and the recorder are built afresh
// each iteration, as every run of a sweep builds them.
void whole_run(benchmark::State& state, const aidc::ScenarioSpec* spec) {
  const auto quarters = static_cast<double>(spec->run.end - spec->run.start + 1);
  try {
    for (auto _ : state) {
      aidc::RunResult result = aidc::run_scenario(*spec, spec->run.seed);
      benchmark::DoNotOptimize(result.events_executed);
    }
  } catch (const aidc::InvariantViolation& e) {
    state.SkipWithError(e.what());
    return;
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["sites"] = static_cast<double>(spec->sites.size());
  state.counters["agents"] = static_cast<double>(spec->agents.size());
  state.counters["quarters"] = quarters;
}

std::optional<aidc::ScenarioSpec> load(const std::string& path) {
  try {
    return path.empty() ? aidc::load_default_scenario() : aidc::load_scenario_file(path);
  } catch (const aidc::ScenarioError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.str() << '\n';
    std::cerr << "aidc_bench: " << (path.empty() ? "the embedded default scenario" : path) << " is invalid\n";
    return std::nullopt;
  }
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;  // KiB on Linux
}

// CPU time of the calling thread, in seconds (what Google Benchmark reports for the runs).
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

int run_once(const std::string& path) {
  const auto spec = load(path);
  if (!spec) return exit_bad_input;
  try {
    const auto wall0 = std::chrono::steady_clock::now();
    const double cpu0 = thread_cpu_seconds();
    const aidc::RunResult result = aidc::run_scenario(*spec, spec->run.seed);
    const double cpu = thread_cpu_seconds() - cpu0;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
    std::printf(
        "{\"events_executed\": %llu, \"run_seconds\": %.6f, \"run_cpu_seconds\": %.6f, \"sites\": %zu, "
        "\"agents\": %zu, \"quarters\": %d, \"peak_rss_kib\": %ld}\n",
        static_cast<unsigned long long>(result.events_executed), wall, cpu, spec->sites.size(), spec->agents.size(),
        spec->run.end - spec->run.start + 1, peak_rss_kib());
  } catch (const aidc::InvariantViolation& e) {
    std::cerr << "aidc_bench: " << e.what() << '\n';
    return exit_invariant;
  }
  return 0;
}

int usage_error(const std::string& message) {
  std::cerr << "aidc_bench: " << message
            << "\nusage: aidc_bench [--scenario NAME=FILE]… [--benchmark_…]   or   aidc_bench --run-once FILE\n";
  return exit_bad_input;
}

}  // namespace

int main(int argc, char** argv) {
  // Our own options come out of argv; the rest goes to Google Benchmark.
  std::vector<std::pair<std::string, std::string>> scenario_files;  // (name, path)
  std::optional<std::string> run_once_path;
  std::vector<char*> rest{argv[0]};
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    std::string option, value;
    for (const std::string_view name : {"--scenario", "--run-once"}) {
      if (arg == name) {
        if (i + 1 == argc) return usage_error(std::string(name) + " needs a value");
        option = name;
        value = argv[++i];
      } else if (arg.starts_with(name) && arg.size() > name.size() && arg[name.size()] == '=') {
        option = name;
        value = arg.substr(name.size() + 1);
      }
    }
    if (option.empty()) {
      rest.push_back(argv[i]);
    } else if (option == "--run-once") {
      run_once_path = value;
    } else {
      const auto eq = value.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == value.size()) {
        return usage_error("--scenario '" + value +
                           "': expected NAME=FILE, e.g. --scenario compact=scenarios/compact.yaml");
      }
      scenario_files.emplace_back(value.substr(0, eq), value.substr(eq + 1));
    }
  }
  if (run_once_path) {
    if (!scenario_files.empty() || rest.size() > 1) {
      return usage_error("--run-once takes a scenario file and nothing else");
    }
    return run_once(*run_once_path);
  }

  // Parsed once, before any timing; they live until the benchmarks are done.
  if (scenario_files.empty()) scenario_files.emplace_back("baseline", "");
  std::vector<std::unique_ptr<aidc::ScenarioSpec>> specs;
  for (const auto& [name, path] : scenario_files) {
    auto spec = load(path);
    if (!spec) return exit_bad_input;
    specs.push_back(std::make_unique<aidc::ScenarioSpec>(std::move(*spec)));
    benchmark::RegisterBenchmark(("run/" + name).c_str(), whole_run, specs.back().get())->Unit(benchmark::kMillisecond);
  }
  for (const std::int64_t n : {100, 10'000, 1'000'000}) {
    benchmark::RegisterBenchmark("hold_simulator", hold_simulator)->Arg(n);
    benchmark::RegisterBenchmark("hold_event_queue", hold_event_queue)->Arg(n);
    benchmark::RegisterBenchmark("hold_reference", hold_reference)->Arg(n);
  }

  int bench_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&bench_argc, rest.data());
  if (benchmark::ReportUnrecognizedArguments(bench_argc, rest.data())) return exit_bad_input;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
