#pragma once
//! What a name may be. Every `name` in a scenario (the scenario's own, and each chip, vendor,
//! region, site, agent, contract, event, link, debt tranche…) is checked once, when the scenario is
//! loaded, so every output can carry it: CSV fields, JSON strings, HTML pages, file names of
//! figures, messages on one line.
//!
//! A name is 1 to 128 bytes of UTF-8 (the loader has already checked the encoding) without
//! control characters: none of U+0000–U+001F (tab, newline, carriage return…), U+007F, the C1
//! controls U+0080–U+009F, and the line and paragraph separators U+2028 and U+2029. Letters of
//! any script, digits, spaces, punctuation and symbols are all allowed.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace aidc {

//! The longest name, in bytes of UTF-8.
inline constexpr std::size_t max_name_bytes = 128;

//! What is wrong with `name`, as the end of a message ("contains a newline (U+000A) at byte 4;
//! expected…"), or nullopt if it is a valid name.
std::optional<std::string> name_problem(std::string_view name);

}  // namespace aidc
