#pragma once
//! Software ecosystems in a spot market (MODEL.md §7, "Segments by software ecosystem"): the share
//! φ_f of a bloc's demand able to run on each chip family f caps what that family can sell, and
//! the sales of a price tier are shared pro rata under those caps (water-filling).

#include <array>
#include <cstddef>

#include "aidc/scenario/choices.hpp"

namespace aidc {

inline constexpr std::size_t chip_family_count = ChoiceNames<ChipFamily>::names.size();

//! A quantity of compute per chip family, indexed by ChipFamily.
using FamilyH100e = std::array<double, chip_family_count>;

//! The share φ_f ∈ [0, 1] of demand able to run on each chip family, indexed by ChipFamily.
using FamilyShares = std::array<double, chip_family_count>;

//! True when some family's share is below 1: only then do ecosystems constrain a market.
[[nodiscard]] bool ecosystem_binds(const FamilyShares& share) noexcept;

//! The share of demand some offered family can serve: m = min(1, Σ_{f offered} φ_f), the sum over
//! the families with compute in `offered`.
[[nodiscard]] double servable_share(const FamilyShares& share, const FamilyH100e& offered) noexcept;

//! The demand x* that supplies S_f of each family can serve (the effective supply of a clearing):
//!   x* = sup { x ≥ 0 : Σ_f min(S_f, φ_f · x) ≥ m · x }
//! (the left side is concave and piecewise linear, so the set is an interval [0, x*]). Without
//! caps (every φ_f = 1) x* = Σ_f S_f. 0 when the families present serve too little of demand to
//! start (Σ_{f: S_f > 0} φ_f < m); infinite when m = 0.
[[nodiscard]] double ecosystem_effective_supply(const FamilyShares& share, const FamilyH100e& supply,
                                                double servable) noexcept;

//! Water-filling of one price tier: families offer `available[f]`, may still sell `cap[f]`, and
//! demand `left` remains. Returns each family's share w_f of its offer sold: w_f = min(s, cap_f /
//! available_f), with s ≤ 1 the common share solving Σ_f w_f · available_f = left (s = 1 when
//! the caps and offers leave demand over). `common` gets s, so (s − w_f) · available_f is what
//! the cap alone kept family f from selling.
[[nodiscard]] FamilyShares water_fill(const FamilyH100e& available, const FamilyH100e& cap, double left,
                                      double& common) noexcept;

}  // namespace aidc
