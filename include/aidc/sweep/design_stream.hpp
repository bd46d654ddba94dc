#pragma once
//! A sweep's design points made one at a time, in order, with the same values as the run table
//! (design.hpp): what reads a sweep run by run (`sweep merge`) holds one point, not the table.
//! Grid, Monte Carlo, Saltelli and Morris points follow one another (a counter, a random stream,
//! a Sobol sequence), so each is made when it is reached. A Latin hypercube (each column a
//! permutation of every sample) is drawn whole, but only its coordinates are kept (8 bytes a
//! point and parameter) and each point's values made from them when reached; rank correlations
//! (which reorder every column together) need the whole run table, built once and kept.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "aidc/kernel/random_stream.hpp"
#include "aidc/sweep/design.hpp"
#include "aidc/sweep/sobol.hpp"
#include "aidc/sweep/sweep_spec.hpp"

namespace aidc::sweep {

//! The points of a grid, Monte Carlo, Saltelli or Morris design, from the first, one per next():
//! make_run_table builds its table from them.
class DesignPoints {
 public:
  //! Whether a design's points can be made one at a time (every design but latin_hypercube).
  static bool sequential(Design design) noexcept { return design != Design::latin_hypercube; }

  //! Before the first point of `spec`'s design (sequential(spec.design) is required).
  explicit DesignPoints(const SweepSpec& spec);

  //! Moves to the next point (the first at the first call).
  void next();
  //! The current point in the unit hypercube (empty for a grid).
  [[nodiscard]] const std::vector<double>& unit_point() const noexcept { return unit_; }
  //! The current point's parameter values, as RunTable::values holds them.
  [[nodiscard]] std::vector<std::string> values() const;
  //! The design's random stream, where the points left it (rank correlations draw from it next).
  [[nodiscard]] RandomStream& rng() noexcept { return rng_; }

 private:
  SweepSpec spec_;
  RandomStream rng_;
  std::optional<SobolSequence> sobol_;
  std::size_t step_ = 0;                      // within a Saltelli block or a Morris trajectory
  bool started_ = false;
  std::vector<std::size_t> at_;               // grid: each parameter's level
  std::vector<double> a_, b_;                 // Saltelli: the base draws of the block
  std::vector<int> levels_;                   // Morris: the trajectory's grid position
  std::vector<std::size_t> order_;            // Morris: the order its factors move in
  std::vector<double> unit_;
};

//! The runs of a sweep and their design points, read in run order without the run table unless
//! the design has rank correlations.
class DesignStream {
 public:
  //! Throws ScenarioError as make_run_table for a design too large.
  explicit DesignStream(SweepSpec spec, std::size_t max_runs = default_max_runs);

  [[nodiscard]] std::size_t points() const noexcept { return points_; }
  [[nodiscard]] std::size_t runs() const noexcept { return points_ * spec_.replications; }
  //! Run `index` (< runs()), as RunTable::runs[index].
  [[nodiscard]] Run run(std::size_t index) const noexcept;
  //! The values of `point` (< points()), as RunTable::values[point]: the next point is made from
  //! the current one; an earlier point starts the design again from its first.
  const std::vector<std::string>& values(std::size_t point);
  //! Whether each point is made when reached, holding nothing per point: false for a Latin
  //! hypercube (its coordinates held) and rank correlations (the run table held).
  [[nodiscard]] bool streamed() const noexcept { return !table_ && DesignPoints::sequential(spec_.design); }

 private:
  SweepSpec spec_;
  std::size_t points_ = 0;
  std::optional<RunTable> table_;         // with rank correlations
  std::vector<double> latin_hypercube_;   // a Latin hypercube's points, [point × k + parameter]
  std::optional<DesignPoints> generator_;
  std::size_t current_ = 0;  // the point in `values_` (valid when generator_ is set)
  std::vector<std::string> values_;
};

}  // namespace aidc::sweep
