#pragma once
//! The closed sets of values a scenario's choice-valued keys take (event kinds, agent kinds,
//! segments…): each one an enum whose names are listed once, in the enum's order. The loader reads
//! a choice into its enum; `name_of` gives back the text a scenario writes, for outputs and
//! messages, so no layer compares these names as strings. Blocs, a closed set too, are indexed by
//! their position in `known_blocs`.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aidc {

//! Kinds of what-if events (MODEL.md §9).
enum class EventKind : std::uint8_t {
  demand_shock,
  efficiency_gain,
  export_control,
  base_rate,
  credit_crunch,
  grid_addition,
  grid_delay,
  chip_delay,
  price_war,
  funding_shock,
  circular_deal,
};

//! Agent kinds (MODEL.md §6).
enum class AgentKind : std::uint8_t { hyperscaler, neocloud, lab, sovereign, china_cloud };

//! Demand segments a demand shock concerns (MODEL.md §7).
enum class Segment : std::uint8_t { all, inference, training };

//! What an export control does to its target in its bloc.
enum class ExportAction : std::uint8_t { ban, allow };

//! When an agent retires its chips: at the end of their economic life, or also once their
//! revenue no longer covers their running cost.
enum class RetirementPolicy : std::uint8_t { economic_life, unprofitable };

//! Whether an agent owns a site or leases it from a developer.
enum class SiteOwnership : std::uint8_t { owned, leased };

//! Chip families (MODEL.md §2).
enum class ChipFamily : std::uint8_t { gpu, tpu, trainium, ascend, other };

//! The names of each choice, indexed by the enum's value.
template <class E>
struct ChoiceNames;

template <>
struct ChoiceNames<EventKind> {
  static constexpr std::array<std::string_view, 11> names = {
      "demand_shock", "efficiency_gain", "export_control", "base_rate", "credit_crunch", "grid_addition",
      "grid_delay",   "chip_delay",      "price_war",      "funding_shock", "circular_deal"};
};
template <>
struct ChoiceNames<AgentKind> {
  static constexpr std::array<std::string_view, 5> names = {"hyperscaler", "neocloud", "lab", "sovereign",
                                                            "china_cloud"};
};
template <>
struct ChoiceNames<Segment> {
  static constexpr std::array<std::string_view, 3> names = {"all", "inference", "training"};
};
template <>
struct ChoiceNames<ExportAction> {
  static constexpr std::array<std::string_view, 2> names = {"ban", "allow"};
};
template <>
struct ChoiceNames<RetirementPolicy> {
  static constexpr std::array<std::string_view, 2> names = {"economic_life", "unprofitable"};
};
template <>
struct ChoiceNames<SiteOwnership> {
  static constexpr std::array<std::string_view, 2> names = {"owned", "leased"};
};
template <>
struct ChoiceNames<ChipFamily> {
  static constexpr std::array<std::string_view, 5> names = {"gpu", "tpu", "trainium", "ascend", "other"};
};

//! The text a scenario writes for `value` (null-terminated: the names are literals).
template <class E>
[[nodiscard]] constexpr std::string_view name_of(E value) noexcept {
  return ChoiceNames<E>::names[static_cast<std::size_t>(value)];
}

//! The value called `name`, or nullopt when no value is.
template <class E>
[[nodiscard]] constexpr std::optional<E> choice_named(std::string_view name) noexcept {
  const auto& names = ChoiceNames<E>::names;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

//! Every name of E, in the enum's order (the schema's list of choices).
template <class E>
[[nodiscard]] std::vector<std::string> choice_names() {
  const auto& names = ChoiceNames<E>::names;
  return {names.begin(), names.end()};
}

//! Market blocs: export controls split the world into these markets (MODEL.md §7).
inline const std::vector<std::string> known_blocs = {"us", "china", "row"};

//! Index of a market bloc (position in known_blocs).
using BlocId = std::uint32_t;
//! The bloc's index in known_blocs; throws std::out_of_range for an unknown name.
[[nodiscard]] BlocId bloc_id(const std::string& name);
//! The set of blocs named in `blocs` as bits (bit b: known_blocs[b]); throws std::out_of_range
//! for an unknown name.
[[nodiscard]] std::uint32_t bloc_mask(const std::vector<std::string>& blocs);

}  // namespace aidc
