#pragma once
// Private to the scenario layer: composing a scenario from a base file (`extends`) and
// command-line overrides (`--set key.path=value`), on Trees, so every value keeps its origin.
//
// Merge rules (base ← override):
// - mappings merge key by key; the override's value wins; `key: null` (or `~`) in the override
//   removes the key, so the reference default applies again;
// - lists whose items are all mappings named by `name` (or all by `bloc`, as `demand` is) merge
//   item by item: an override item with the name of a base item merges into it, in the base's
//   order; a new name is appended; an item with `remove: true` deletes the base item;
// - a series written as a mapping of quarters ({2023Q1: 1 GW, 2030Q1: 2 GW}) is one value: the
//   override's replaces the base's whole;
// - anything else (plain values, unnamed lists) is replaced by the override.
// A key or name repeated within one override is kept repeated, so the reader reports it as in a
// single file; an item removed and then given again in the same override is defined afresh.

#include <optional>
#include <string>
#include <vector>

#include "aidc/text/key_path.hpp"

#include "aidc/text/yaml_tree.hpp"
#include "yaml_reader.hpp"

namespace aidc::detail {

//! The override merged onto the base; problems (removing an item that is not there) go to ctx.
Tree merge_trees(const Tree& base, const Tree& over, YamlContext& ctx, const std::string& path = "");

//! Applies one `key.path=value` assignment (the n-th --set, 1-based). Path segments are keys;
//! a list item is chosen by name (`agents.meta.cash` or `agents[meta].cash`) or by index
//! (`demand[0].growth`); a selector sets the value in several items (`agents[*].cash`,
//! `agents[kind=hyperscaler].cash`). Missing keys are created (and then checked like any key); a
//! missing list item, or a selector that picks none, is an error with a suggestion. `key.path+=
//! {…}` appends an item to a list (creating the list if missing). Replacing a whole list of items
//! (mappings: agents, events) or a whole series is a warning. On error returns root unchanged.
Tree apply_assignment(const Tree& root, const std::string& assignment, YamlContext& ctx);

//! The key path resolved against root as an overlay names it (see KeyPathStep): list items by
//! their name or bloc, whether the path chose them by name, by index or by a dotted name; one
//! path per item a selector picks (`agents[*].cash`, `agents[kind=lab].cash`), in the list's
//! order. Keys root lacks are taken as written (an overlay may add them). nullopt, with `problem`
//! saying why in words (and what there is to choose from), when a selector picks no item or falls
//! on a value that is not a list.
std::optional<std::vector<std::vector<KeyPathStep>>> resolve_key_path(const Tree& root,
                                                                      const std::vector<KeyPathSegment>& segments,
                                                                      std::string& problem);

//! The identity of a list item under merge: its `name` (or `bloc`) key, if the item is a mapping.
std::string item_identity(const Tree& item, const std::string& id_key);

}  // namespace aidc::detail
