#pragma once
//! The runs of a sweep: each design point's parameter values, its replications and their seeds.
//! A pure function of the sweep spec, so every shard and every later command recomputes the same.

#include <cstdint>
#include <string>
#include <vector>

#include "aidc/kernel/random_stream.hpp"
#include "aidc/sweep/sweep_spec.hpp"

namespace aidc::sweep {

//! One run: a design point and a replication.
struct Run {
  std::size_t index = 0;        //!< 0-based, point × replications + replication
  std::size_t point = 0;        //!< the design point
  std::size_t replication = 0;
  std::uint64_t seed = 0;       //!< run_seed(sweep seed, replication), or (…, index) with `seeds: independent`
};

//! Every design point and run of a sweep.
struct RunTable {
  std::vector<std::vector<std::string>> values;  //!< [point][parameter]: the text given to --set (without unit)
  std::vector<std::vector<double>> unit_point;   //!< [point][parameter]: the point in the unit hypercube (sampling designs)
  std::vector<Run> runs;
  //! The `--set` assignments of a run's parameters (the spec's fixed `set` come first), one per
  //! path of each parameter, in the order of the parameters and their paths.
  [[nodiscard]] std::vector<std::string> overrides(const SweepSpec& spec, std::size_t run) const;
};

//! SplitMix64 of the sweep seed mixed with `index`. A run's seed is this of its replication
//! (common random numbers, the default: every design point draws the same random streams, so
//! replication r of two points differs only by their parameters) or, with `seeds: independent`,
//! of its run index. It depends on nothing else, so results do not depend on thread count,
//! order or sharding.
std::uint64_t run_seed(std::uint64_t sweep_seed, std::size_t index) noexcept;

//! The most memory a run table may take (its estimate, checked before it is built): 4 GB.
inline constexpr std::size_t max_run_table_bytes = 4'000'000'000;

//! The most runs a sweep may have, unless told otherwise.
inline constexpr std::size_t default_max_runs = 10'000'000;

//! Builds the run table. Throws ScenarioError, at the `samples` (or `design`) of the sweep file,
//! when the design would be empty or too large: more than `max_runs` runs, or a table estimated
//! above max_run_table_bytes (many parameters multiply the points of a Saltelli or Morris design).
RunTable make_run_table(const SweepSpec& spec, std::size_t max_runs = default_max_runs);

//! The number of design points of the run table, without building it; throws as make_run_table.
std::size_t design_points(const SweepSpec& spec, std::size_t max_runs = default_max_runs);

//! The key of the random stream a design draws from (its points, then its rank correlations).
std::uint64_t design_stream_key(const SweepSpec& spec) noexcept;

//! A Latin hypercube of `n` points in `k` dimensions drawn from `rng`, row-major ([point × k +
//! parameter]): each column a random permutation of the n strata, a uniform draw within each.
std::vector<double> latin_hypercube(RandomStream& rng, std::size_t n, std::size_t k);

//! The value of parameter `p` at unit coordinate u ∈ (0, 1): inverse CDF of its distribution,
//! or the value picked uniformly (or by weight) from its list.
std::string value_at(const SweepParameter& p, double u);

}  // namespace aidc::sweep
