#pragma once
//! Key paths: the names of values inside a scenario, as `--set`, sweep files and `calibrate
//! --params` write them: `run.end`, `agents.meta.cash`, `agents[meta].cash`, `demand[0].growth`,
//! and with a selector that picks several items: `agents[*].cash` (every item),
//! `agents[kind=hyperscaler].cash` (every item whose `kind` is hyperscaler).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aidc {

//! One step of a key path: a mapping key, a list item (a name or an index in brackets), or both
//! (`agents[meta]`). `key` is empty for a step that is only a selector.
struct KeyPathSegment {
  std::string key;
  std::optional<std::string> selector;
};

//! "agents[meta].new_site.capacity" → {agents, [meta]}, {new_site}, {capacity}. Dots separate
//! steps; a bracketed selector ends a step. nullopt for an empty path, an empty step, an empty or
//! unclosed selector, or text after a selector that is not a '.'. The path alone says nothing of
//! whether `agents.meta` names a key or an item: that is for the scenario to tell.
std::optional<std::vector<KeyPathSegment>> parse_key_path(std::string_view path);

//! Whether a selector may pick several items: `*` or `field=value`.
bool is_multi_selector(std::string_view selector) noexcept;

//! Where the key path of an assignment `key.path=value` ends: the first '=' outside brackets
//! (`agents[kind=lab].cash=5` ends before `=5`), or the '+' of `+=` (`events+={…}` appends an item
//! to a list). npos if there is no such '='.
std::size_t assignment_split(std::string_view assignment) noexcept;

//! A key path resolved against a scenario, one step per mapping key: the key, and when the key
//! holds a list, the item chosen, named the way a YAML overlay names it (`item_key: item`, where
//! item_key is `name`, or `bloc` for the items of `demand`). `agents.meta.cash`, `agents[meta].cash`
//! and `agents[3].cash` (meta being the fourth agent) all resolve to {agents, name, meta}, {cash}.
struct KeyPathStep {
  std::string key;
  std::string item_key;  //!< empty when the step is a plain mapping key
  std::string item;
};

}  // namespace aidc
