#pragma once
//! The exception that stops a run whose model broke an invariant (MODEL.md §11).

#include <stdexcept>
#include <string>

#include "aidc/kernel/quarter.hpp"

namespace aidc {

//! A broken conservation law or a non-finite value: the run stops with this diagnostic.
class InvariantViolation : public std::runtime_error {
 public:
  InvariantViolation(Quarter q, std::string entity, std::string quantity, std::string detail);
};

}  // namespace aidc
