#pragma once
//! A run directory that cannot be read: a missing or malformed file. what() is the message shown
//! to the user: `path:line:col: what is wrong; what was expected` (or `path: …` for a whole file).

#include <stdexcept>

namespace aidc {

//! Bad input to `report` or `compare` (exit code 2).
class ReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace aidc
