#pragma once
//! Scenario discovery with PRIM (the Patient Rule Induction Method, Friedman & Fisher 1999):
//! which ranges of the parameters make a KPI high. The points whose KPI is at or above its q-th
//! quantile are the cases of interest; starting from the box holding every point, PRIM peels,
//! again and again, the slice (a share `peel` of the points in the box, at the low or the high
//! end of one parameter) whose removal most raises the share of cases of interest left in the
//! box (its density), until no slice raises it, the density reaches 1, or the box would hold
//! fewer than `min_support` of the points. The box reported is the one of highest density met
//! on the way (the first such, so the widest). Then PRIM pastes: peeling is greedy and may cut
//! too far, so the box grows back, one edge at a time, while that raises its density. A paste
//! moves one edge (the low or the high end of one parameter) outwards to take in the `paste`
//! share of the points in the box (at least one point, and the points tied with the farthest)
//! among the points just outside that edge and inside the box on every other parameter; the
//! paste that most raises the density is made, again and again, until none raises it (ties to
//! the lower parameter index, then the low end). Last the box is simplified: each restriction
//! whose removal does not lower its density is dropped, parameter by parameter in index order.

#include <Eigen/Dense>
#include <cstddef>
#include <vector>

namespace aidc::sweep {

struct PrimOptions {
  double quantile = 0.9;      //!< cases of interest: KPI ≥ this quantile of it
  double peel = 0.05;         //!< share of the box's points removed per step
  double min_support = 0.05;  //!< the smallest share of all points a box may hold
  double paste = 0.01;        //!< share of the box's points a paste adds (0: no pasting)
};

//! One box of the peeling trajectory.
struct PrimStep {
  double coverage = 0.0;  //!< cases of interest inside / all cases of interest
  double density = 0.0;   //!< cases of interest inside / points inside
  double support = 0.0;   //!< points inside / all points
};

struct PrimBox {
  double threshold = 0.0;            //!< the KPI's q-th quantile
  double base_density = 0.0;         //!< share of all points that are cases of interest
  std::vector<double> low, high;     //!< the box, per parameter (inclusive)
  std::vector<bool> restricted;      //!< whether the box narrows the parameter's range
  PrimStep box;                      //!< the box reported (after pasting and simplification)
  PrimStep peeled;                   //!< the best box of the peeling, before pasting
  std::size_t pastes = 0;            //!< how many pastes grew it
  std::vector<PrimStep> trajectory;  //!< every box from the whole space on, the reported one included
};

//! PRIM on the points x (n × k parameters) with KPI values y (n, finite). Deterministic: ties
//! between slices go to the lower parameter index, then the low end.
PrimBox prim_box(const Eigen::MatrixXd& x, const Eigen::VectorXd& y, const PrimOptions& options = {});

}  // namespace aidc::sweep
