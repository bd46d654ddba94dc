#include "aidc/run/ensemble.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <exception>
#include <functional>
#include <iterator>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>

#include "aidc/kernel/interrupt.hpp"
#include "aidc/output/atomic_file.hpp"
#include "aidc/output/run_files.hpp"
#include "aidc/output/summary.hpp"
#include "aidc/report/quantile.hpp"
#include "aidc/run/run_data_of.hpp"
#include "aidc/text/csv.hpp"

namespace aidc {

namespace {

std::optional<std::uint64_t> whole_number(std::string_view text) {
  std::uint64_t v = 0;
  if (text.empty() || text.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return v;
}

// Every value of every seed, by (quarter, kind, entity, metric), in the first seed's order.
class Accumulator {
 public:
  explicit Accumulator(std::size_t seeds) : seeds_(seeds) {}

  void add(const Recorder& r) {
    const auto& samples = r.samples();
    const auto& names = r.entity_names();
    if (slots_.empty() && names_.empty()) {  // the first seed sets the layout
      names_ = names;
      slots_.reserve(samples.size());
      for (const Sample& s : samples) new_slot(s.quarter, s.kind, s.metric, s.entity, names[s.entity]);
    }
    // Usually every seed records the same values in the same order: one comparison per sample.
    bool same = names == names_ && samples.size() == slots_.size();
    for (std::size_t i = 0; same && i < samples.size(); ++i) {
      const Sample& s = samples[i];
      const Slot& t = slots_[i];
      same = s.quarter == t.quarter && s.kind == t.kind && s.metric == t.metric && s.entity == t.entity;
    }
    if (same) {
      for (std::size_t i = 0; i < samples.size(); ++i) slots_[i].values.push_back(samples[i].value);
      return;
    }
    if (index_.empty()) {
      for (std::size_t i = 0; i < slots_.size(); ++i) index_.emplace(key(slots_[i]), i);
    }
    for (const Sample& s : samples) {
      const std::string& entity = names[s.entity];
      const auto k = fmt::format("{}|{}|{}|{}", s.quarter, static_cast<int>(s.kind), static_cast<int>(s.metric), entity);
      auto [it, inserted] = index_.try_emplace(k, slots_.size());
      if (inserted) {
        new_slot(s.quarter, s.kind, s.metric, static_cast<std::uint32_t>(-1), entity);
        reordered_ = true;
      }
      slots_[it->second].values.push_back(s.value);
    }
  }

  // The median recorder and the quantiles of each of its samples.
  void finish(Recorder& median, std::vector<std::array<double, 5>>& quantiles) {
    if (reordered_) {  // values only some seeds recorded: keep quarters in order
      std::stable_sort(slots_.begin(), slots_.end(), [](const Slot& a, const Slot& b) { return a.quarter < b.quarter; });
    }
    quantiles.reserve(slots_.size());
    for (Slot& s : slots_) {
      const Spread q = spread_of(std::move(s.values));
      s.values = {};
      median.put(Quarter::from_index(s.quarter), s.kind, s.name, s.metric, q.p50);
      quantiles.push_back(q.array());
    }
  }

 private:
  struct Slot {
    std::int32_t quarter;
    EntityKind kind;
    Metric metric;
    std::uint32_t entity;  // in the first seed's names (-1: recorded only by later seeds)
    std::string name;
    std::vector<double> values;
  };
  static std::string key(const Slot& s) {
    return fmt::format("{}|{}|{}|{}", s.quarter, static_cast<int>(s.kind), static_cast<int>(s.metric), s.name);
  }
  void new_slot(std::int32_t quarter, EntityKind kind, Metric metric, std::uint32_t entity, const std::string& name) {
    Slot s{quarter, kind, metric, entity, name, {}};
    s.values.reserve(seeds_);
    slots_.push_back(std::move(s));
  }
  std::size_t seeds_;
  std::vector<std::string> names_;
  std::vector<Slot> slots_;
  std::unordered_map<std::string, std::size_t> index_;
  bool reordered_ = false;
};

// What one seed's run leaves once it is done.
struct SeedOutput {
  Recorder recorder;
  EventList events;  // kept for the first seed only
  KeyFigures figures;
  std::uint64_t events_executed = 0;
};

}  // namespace

std::optional<std::vector<std::uint64_t>> parse_seed_list(std::string_view text, std::string& problem) {
  std::uint64_t first = 1, last = 0;
  const auto dash = text.find('-');
  if (dash == std::string_view::npos) {
    const auto n = whole_number(text);
    if (!n) {
      problem = fmt::format("'{}' is not a number of seeds or a range of seeds; expected N (seeds 1 to N) or A-B", text);
      return std::nullopt;
    }
    if (*n == 0) {
      problem = fmt::format("'{}' is no seeds; expected at least 1 (N runs seeds 1 to N)", text);
      return std::nullopt;
    }
    last = *n;
  } else {
    const auto a = whole_number(text.substr(0, dash));
    const auto b = whole_number(text.substr(dash + 1));
    if (!a || !b) {
      problem = fmt::format("'{}' is not a range of seeds; expected A-B with whole numbers A ≤ B (e.g. 1-20)", text);
      return std::nullopt;
    }
    if (*b < *a) {
      problem = fmt::format("'{}' runs backwards; expected A-B with A ≤ B (e.g. {}-{})", text, *b, *a);
      return std::nullopt;
    }
    first = *a;
    last = *b;
  }
  if (last - first >= max_ensemble_seeds) {
    problem = fmt::format("'{}' is {} seeds; expected at most {}", text,
                          last - first == std::numeric_limits<std::uint64_t>::max() ? std::string("2^64")
                                                                                    : std::to_string(last - first + 1),
                          max_ensemble_seeds);
    return std::nullopt;
  }
  std::vector<std::uint64_t> seeds;
  seeds.reserve(static_cast<std::size_t>(last - first + 1));
  for (std::uint64_t s = first;; ++s) {
    seeds.push_back(s);
    if (s == last) break;
  }
  return seeds;
}

namespace {

// Runs spec_of(i) with options.seeds[i] for every i.
EnsembleResult run_ensemble_of(const std::function<const ScenarioSpec&(std::size_t)>& spec_of,
                               const EnsembleOptions& options) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::size_t n = options.seeds.size();
  EnsembleResult out;
  out.seeds = options.seeds;
  if (n == 0) return out;

  std::mutex mutex;
  std::vector<std::optional<SeedOutput>> done(n);
  std::vector<std::exception_ptr> errors(n);
  std::size_t next = 0;     // the next seed to start
  std::size_t merged = 0;   // seeds merged, in order
  std::size_t finished = 0; // seeds done, in any order
  bool stop = false;
  Accumulator accumulator(n);
  out.figures.resize(n);

  const auto worker = [&] {
    for (;;) {
      std::size_t i = 0;
      {
        const std::lock_guard lock(mutex);
        if (stop || next >= n) return;
        i = next++;
      }
      try {
        const std::uint64_t seed = options.seeds[i];
        const ScenarioSpec& spec = spec_of(i);
        RunResult result = run_scenario(spec, seed);
        SeedOutput o;
        if (!options.per_seed_dir.empty()) {
          const WrittenRun written =
              write_run_directory(options.per_seed_dir / std::to_string(seed), spec, seed, result, false);
          o.figures = key_figures(written.data);
        } else {
          RunInfo info;  // for the key figures: the scenario's entities
          describe_scenario(info, spec);
          info.seed = seed;
          o.figures = key_figures(run_data_of(result, info));
        }
        o.recorder = std::move(result.recorder);
        if (i == 0) o.events = std::move(result.events);
        o.events_executed = result.events_executed;
        // Merged in seed order, by whichever thread completes the sequence: the same sums and
        // layout whatever the threads.
        const std::lock_guard lock(mutex);
        done[i] = std::move(o);
        ++finished;
        while (merged < n && done[merged]) {
          SeedOutput& m = *done[merged];
          accumulator.add(m.recorder);
          out.figures[merged] = std::move(m.figures);
          out.median.events_executed += m.events_executed;
          if (merged == 0) out.median.events = std::move(m.events);
          done[merged].reset();
          ++merged;
        }
        if (options.progress) options.progress(finished, n);
      } catch (...) {
        const std::lock_guard lock(mutex);
        errors[i] = std::current_exception();
        stop = true;
      }
    }
  };

  const std::size_t jobs = std::max<std::size_t>(1, std::min(options.jobs, n));
  std::vector<std::thread> pool;
  for (std::size_t t = 0; t < jobs; ++t) {
    try {
      pool.emplace_back(worker);
    } catch (const std::system_error&) {
      break;  // go on with the threads that started
    }
  }
  out.threads = pool.size();
  if (pool.empty()) worker();  // no thread could start: run them here, one at a time
  for (auto& t : pool) t.join();
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
  accumulator.finish(out.median.recorder, out.quantiles);
  out.median.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace

EnsembleResult run_ensemble(const ScenarioSpec& spec, const EnsembleOptions& options) {
  return run_ensemble_of([&](std::size_t) -> const ScenarioSpec& { return spec; }, options);
}

EnsembleResult run_ensemble(const std::vector<ScenarioSpec>& specs, const EnsembleOptions& options) {
  if (specs.size() != options.seeds.size()) {
    throw std::invalid_argument("run_ensemble: " + std::to_string(specs.size()) + " scenarios for " +
                                std::to_string(options.seeds.size()) + " seeds");
  }
  return run_ensemble_of([&](std::size_t i) -> const ScenarioSpec& { return specs[i]; }, options);
}

std::string format_ensemble_csv(const EnsembleResult& ensemble) {
  const Recorder& r = ensemble.median.recorder;
  std::vector<std::string> names;
  names.reserve(r.entity_names().size());
  for (const auto& name : r.entity_names()) names.push_back(csv_field(name));
  fmt::memory_buffer out;
  const auto o = std::back_inserter(out);
  fmt::format_to(o, "quarter,entity_kind,entity,metric,p05,p25,p50,p75,p95\n");
  const auto& samples = r.samples();
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const Sample& s = samples[i];
    const Quarter q = Quarter::from_index(s.quarter);
    const auto& p = ensemble.quantiles[i];
    fmt::format_to(o, "{}Q{},{},{},{},{},{},{},{},{}\n", q.year(), q.quarter_of_year(),
                   entity_kind_names[static_cast<std::size_t>(s.kind)], names[s.entity], metric_name(s.metric), p[0],
                   p[1], p[2], p[3], p[4]);
  }
  return fmt::to_string(out);
}

std::string format_seeds_csv(const EnsembleResult& ensemble) {
  fmt::memory_buffer out;
  const auto o = std::back_inserter(out);
  fmt::format_to(o, "seed");
  for (const auto& [name, value] : key_figure_values(KeyFigures{})) fmt::format_to(o, ",{}", name);
  fmt::format_to(o, "\n");
  for (std::size_t i = 0; i < ensemble.seeds.size(); ++i) {
    fmt::format_to(o, "{}", ensemble.seeds[i]);
    for (const auto& [name, value] : key_figure_values(ensemble.figures[i])) fmt::format_to(o, ",{}", value);
    fmt::format_to(o, "\n");
  }
  return fmt::to_string(out);
}

namespace {

// The ensemble's part of a RunData made from memory, as read_run_directory reads it back.
void add_ensemble_data(RunData& run, const EnsembleResult& ensemble) {
  for (const auto seed : ensemble.seeds) run.seeds.push_back(std::to_string(seed));
  for (const auto& [name, value] : key_figure_values(KeyFigures{})) run.seed_figures.emplace_back(name, std::vector<double>());
  for (const auto& k : ensemble.figures) {
    const auto values = key_figure_values(k);
    for (std::size_t f = 0; f < values.size(); ++f) run.seed_figures[f].second.push_back(values[f].second);
  }
  const Recorder& r = ensemble.median.recorder;
  const auto& samples = r.samples();
  const std::size_t n = run.quarters.size();
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const Sample& s = samples[i];
    auto [it, inserted] =
        run.quantiles_by_key.try_emplace(series_key(s.kind, r.entity_names()[s.entity], metric_name(s.metric)));
    if (inserted) {
      for (auto& v : it->second) v.assign(n, std::numeric_limits<double>::quiet_NaN());
    }
    const auto q = static_cast<std::size_t>(s.quarter - run.first.index());
    for (std::size_t k = 0; k < 5; ++k) it->second[k][q] = ensemble.quantiles[i][k];
  }
}

}  // namespace

WrittenRun write_ensemble_directory(const std::filesystem::path& dir, const ScenarioSpec& spec,
                                    const EnsembleResult& ensemble, bool with_report) {
  RunInfo info;
  describe_scenario(info, spec);
  info.seed = ensemble.seeds.empty() ? 0 : ensemble.seeds.front();
  info.seeds = ensemble.seeds;
  const ExtraRunFile extra[] = {{run_files::ensemble_csv, [&] { return format_ensemble_csv(ensemble); }},
                                {run_files::seeds_csv, [&] { return format_seeds_csv(ensemble); }}};
  return write_run_files(dir, std::move(info), ensemble.median, with_report, extra,
                         [&](RunData& data) { add_ensemble_data(data, ensemble); });
}

std::string format_ensemble_text(const ScenarioSpec& spec, const EnsembleResult& ensemble, const WrittenRun& written,
                                 const std::filesystem::path& dir, bool with_report) {
  const auto& seeds = ensemble.seeds;
  std::string out = fmt::format("{} ({}), {} seed{} ({}..{}), {}..{}\n\n", spec.name, spec.source, seeds.size(),
                                seeds.size() == 1 ? "" : "s", seeds.front(), seeds.back(), written.info.start,
                                written.info.end);
  out += "The median across the seeds of each quarter's value:\n" +
         format_summary(ensemble.median.recorder, spec.run.start, spec.run.end) + '\n';
  out += "In the median series:\n" + format_key_moments_text(key_figures(written.data)) + '\n';
  out += format_ensemble_figures_text(written.data);
  out += "\nwrote";
  for (const auto& f : written.info.outputs) out += ' ' + f;
  out += " and run.json in " + dir.string() + '\n';
  if (!with_report) out += "report: aidcsim report " + dir.string() + '\n';
  return out;
}

void commit_seed_directories(const std::filesystem::path& staged, const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  const fs::path final_dir = dir / run_files::seeds_dir;
  std::error_code ec;
  const auto status = fs::symlink_status(final_dir, ec);
  fs::path old;
  if (fs::exists(status)) {
    if (fs::is_directory(status)) {
      old = dir / fmt::format(".seeds.old.{}", ::getpid());
      fs::rename(final_dir, old, ec);
      if (ec) throw OutputError("cannot replace " + final_dir.string() + ": " + ec.message());
    } else if (!fs::remove(final_dir, ec) || ec) {  // a file or a link: replaced, never followed
      throw OutputError("cannot replace " + final_dir.string() + ": " + ec.message());
    }
  }
  fs::rename(staged, final_dir, ec);
  if (ec) throw OutputError("cannot write " + final_dir.string() + ": " + ec.message());
  if (!old.empty()) fs::remove_all(old, ec);
}

}  // namespace aidc
