#pragma once
//! What a text file read by aidcsim may hold (scenarios, sweep files): beyond these the readers
//! refuse it with a clear error before it could exhaust memory or time. The scenario's own limits
//! are in aidc/scenario/limits.hpp.

#include <cstddef>

namespace aidc::limits {

//! Bytes of a scenario or sweep file, or of scenario text given to the loader.
inline constexpr std::size_t max_text_bytes = std::size_t{64} << 20;
//! Values (YAML nodes) a document may expand to beyond one per byte of text: a plain file has
//! fewer values than bytes, so this bounds only what anchors and aliases repeat.
inline constexpr std::size_t max_alias_values = 100'000;
//! Levels of lists and mappings inside one another (a scenario needs six).
inline constexpr std::size_t max_nesting_depth = 64;

}  // namespace aidc::limits
