#pragma once
//! The Sobol low-discrepancy sequence (Gray-code order, Bratley & Fox 1988) with the direction
//! numbers of Joe & Kuo (2008, new-joe-kuo-6.21201): the base draws of a Saltelli design.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace aidc::sweep {

class SobolSequence {
 public:
  //! The dimensions whose direction numbers are built in.
  static constexpr std::size_t max_dimensions = 256;

  //! The sequence in `dimensions` dimensions (1 to max_dimensions; throws std::invalid_argument
  //! otherwise), before its first point.
  explicit SobolSequence(std::size_t dimensions);

  //! The next point of [0, 1)^dimensions: the origin first, then (0.5, …, 0.5), … The first 2^m
  //! points hold exactly one point in every dyadic box of volume 2^-m the direction numbers allow.
  const std::vector<double>& next();

 private:
  static constexpr int bits = 32;
  std::vector<std::uint32_t> direction_;  // [dimension × bits + j]: v_{j+1}
  std::vector<std::uint32_t> x_;
  std::vector<double> point_;
  std::uint64_t index_ = 0;  // points drawn so far
};

}  // namespace aidc::sweep
