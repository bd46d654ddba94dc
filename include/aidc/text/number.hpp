#pragma once
//! Numbers in text: as people write them in input files (`0.5`, `2e6`, `221k`), as the program
//! writes them (shortest round-trip decimals), and whole numbers.

#include <cstdint>
#include <optional>
#include <string_view>

namespace aidc {

//! The factor of a magnitude suffix: k or K 1e3, M 1e6, B 1e9, T 1e12; 0 for any other character.
double magnitude_factor(char c) noexcept;

//! A number as input files write it (scenarios' counts, sweep files, calibration bounds and
//! targets): a decimal (`0.5`, `-3`, `2e6`), optionally with a magnitude suffix (`221k`, `1.5M`).
//! nullopt for anything else, for surrounding spaces, and for a value that is not finite.
std::optional<double> parse_number(std::string_view text) noexcept;

//! Exactly a decimal as std::from_chars reads it, the whole text (what the program writes in its
//! own files); nullopt otherwise.
std::optional<double> parse_decimal(std::string_view text) noexcept;

//! Exactly a non-negative whole number below 2^64, the whole text; nullopt otherwise.
std::optional<std::uint64_t> parse_whole(std::string_view text) noexcept;

}  // namespace aidc
