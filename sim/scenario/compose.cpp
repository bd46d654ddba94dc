#include "compose.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
#include <unordered_map>
#include <vector>

namespace aidc::detail {

namespace {

//! The key that names the items of both lists ("name" or "bloc"), or "" if they are not named.
std::string common_id_key(const Tree& a, const Tree& b) {
  for (const char* key : {"name", "bloc"}) {
    auto named = [key](const Tree& t) { return !item_identity(t, key).empty(); };
    if (std::all_of(a.items().begin(), a.items().end(), named) &&
        std::all_of(b.items().begin(), b.items().end(), named) && (a.size() + b.size()) > 0) {
      return key;
    }
  }
  return "";
}

bool is_removal(const Tree& item) {
  const Tree flag = item.child("remove");
  return flag.is_scalar() && (flag.scalar() == "true" || flag.scalar() == "yes");
}

std::string join_path(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

Tree merge_lists(const Tree& base, const Tree& over, const std::string& id_key, YamlContext& ctx,
                 const std::string& path) {
  std::vector<Tree> items = base.items();
  std::vector<std::string> ids;
  std::unordered_map<std::string, std::size_t> first_with_id;  // where each id first appears in items
  for (const auto& item : items) {
    ids.push_back(item_identity(item, id_key));
    first_with_id.emplace(ids.back(), ids.size() - 1);
  }
  std::vector<bool> removed(items.size(), false);
  // Items this override already merged into, added or removed. A second override item with the
  // same name is kept as an item of its own: the reader then reports the repeated name as it
  // does in a single file (after a removal, the item is simply defined anew).
  std::vector<bool> touched(items.size(), false);
  for (const auto& o : over.items()) {
    const std::string id = item_identity(o, id_key);
    const auto found = first_with_id.find(id);
    const bool known = found != first_with_id.end();
    const std::size_t index = known ? found->second : ids.size();
    const std::string item_path = path + "[" + id + "]";
    if (is_removal(o)) {
      if (!known) {
        const std::string hint = suggest(id, ids);
        ctx.error(o.child(id_key), item_path,
                  "cannot remove '" + id + "': the base scenario has no such item" + (hint.empty() ? "" : " " + hint));
      } else {
        removed[index] = true;
        touched[index] = true;
      }
      continue;
    }
    if (!known || touched[index]) {
      items.push_back(o);
      ids.push_back(id);
      first_with_id.emplace(id, ids.size() - 1);
      removed.push_back(false);
      touched.push_back(true);
    } else {
      items[index] = merge_trees(items[index], o, ctx, item_path);
      touched[index] = true;
    }
  }
  std::vector<Tree> kept;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (!removed[i]) kept.push_back(items[i]);
  }
  return Tree::sequence(std::move(kept), over.where());
}

}  // namespace

std::string item_identity(const Tree& item, const std::string& id_key) {
  const Tree id = item.child(id_key);
  return id.is_scalar() ? id.scalar() : "";
}

namespace {
// A series written as a mapping {2023Q1: …, 2027Q1: …}: its keys are quarters.
bool is_series(const Tree& t) {
  if (!t.is_map() || t.entries().empty()) return false;
  return std::all_of(t.entries().begin(), t.entries().end(),
                     [](const Tree::Entry& e) { return e.first.is_scalar() && Quarter::parse(e.first.scalar()); });
}
}  // namespace

Tree merge_trees(const Tree& base, const Tree& over, YamlContext& ctx, const std::string& path) {
  // A series is one value: the override's replaces the base's whole.
  if (is_series(over) || is_series(base)) return over;
  if (base.is_map() && over.is_map()) {
    // A key repeated in one mapping is an error the reader reports, so a repeat is never merged
    // away: the first base entry of a key merges with the first override entry of that key, and
    // any repeat (in the base or in the override) is kept as an entry of its own.
    const auto& oentries = over.entries();
    std::unordered_map<std::string, std::size_t> first_in_over;  // scalar key → its first override entry
    for (std::size_t i = 0; i < oentries.size(); ++i) {
      if (oentries[i].first.is_scalar()) first_in_over.emplace(oentries[i].first.scalar(), i);
    }
    const auto first_of = [&](const Tree& key) {
      if (!key.is_scalar()) return oentries.size();
      const auto it = first_in_over.find(key.scalar());
      return it == first_in_over.end() ? oentries.size() : it->second;
    };
    std::vector<Tree::Entry> entries;
    std::vector<bool> used(oentries.size(), false);
    for (const auto& [key, value] : base.entries()) {
      const std::size_t i = first_of(key);
      if (i == oentries.size() || used[i]) {
        entries.emplace_back(key, value);
        continue;
      }
      used[i] = true;
      const auto& [okey, ovalue] = oentries[i];
      // The key is the override's: a repeat of it is then reported against the override's line.
      if (!ovalue.is_null()) entries.emplace_back(okey, merge_trees(value, ovalue, ctx, join_path(path, key.scalar())));
    }
    for (std::size_t i = 0; i < oentries.size(); ++i) {
      const bool repeat = first_of(oentries[i].first) < i;  // a non-scalar key is never a repeat
      if (!used[i] && (repeat || !oentries[i].second.is_null())) entries.push_back(oentries[i]);
    }
    return Tree::map(std::move(entries), over.where());
  }
  if (base.is_sequence() && over.is_sequence()) {
    const std::string id_key = common_id_key(base, over);
    if (!id_key.empty()) return merge_lists(base, over, id_key, ctx, path);
  }
  return over;
}

namespace {

// The index of the item a selector names: by its name (or its bloc, for an item without a
// name, as in `demand`), else as a number. An item with a name is not chosen by its bloc:
// `agents[us]` must not pick the first agent of bloc us.
std::optional<std::size_t> select_item(const Tree& list, const std::string& selector, std::vector<std::string>& known) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    std::string id = item_identity(list[i], "name");
    if (id.empty()) id = item_identity(list[i], "bloc");
    if (id.empty()) continue;
    if (id == selector) return i;
    known.push_back(id);
  }
  std::size_t index = 0;
  const auto r = std::from_chars(selector.data(), selector.data() + selector.size(), index);
  if (r.ec == std::errc() && r.ptr == selector.data() + selector.size() && index < list.size()) return index;
  return std::nullopt;
}

std::string comma_list(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The indices of the items of `list` a selector picks: `*` every item, `field=value` every item
// whose `field` is `value`, else the one item named (or numbered) so (select_item). Empty, with
// `problem` saying why and what there is to choose from, when it picks none.
std::vector<std::size_t> select_items(const Tree& list, const std::string& selector, std::string& problem) {
  std::vector<std::size_t> out;
  if (selector == "*") {
    for (std::size_t i = 0; i < list.size(); ++i) out.push_back(i);
    if (out.empty()) problem = "no item: the list is empty, so [*] selects nothing";
    return out;
  }
  if (const std::size_t eq = selector.find('='); eq != std::string::npos) {
    const std::string field = selector.substr(0, eq), value = selector.substr(eq + 1);
    std::vector<std::string> values, keys;
    for (std::size_t i = 0; i < list.size(); ++i) {
      for (const auto& [k, v] : list[i].entries()) {
        if (k.is_scalar()) keys.push_back(k.scalar());
      }
      const Tree f = list[i].child(field);
      if (!f.is_scalar()) continue;
      if (f.scalar() == value) out.push_back(i);
      values.push_back(f.scalar());
    }
    if (!out.empty()) return out;
    if (values.empty()) {
      const auto close = closest_name(field, keys);
      problem = "no item with a '" + field + "'" + (close ? " (did you mean '" + *close + "'?)" : "") +
                (keys.empty() ? "" : "; its items have: " + comma_list(keys));
    } else {
      const auto close = closest_name(value, values);
      problem = "no item whose " + field + " is '" + value + "'" + (close ? " (did you mean '" + *close + "'?)" : "") +
                "; " + field + " takes: " + comma_list(values);
    }
    return out;
  }
  std::vector<std::string> known;
  if (const auto index = select_item(list, selector, known)) return {*index};
  const std::string hint = suggest(selector, known);
  problem = "no item named '" + selector + "'" + (hint.empty() ? "" : " " + hint);
  return out;
}

struct Assign {
  YamlContext& ctx;
  const std::vector<KeyPathSegment>& segments;
  const Tree& value;
  const std::string& where_label;
  bool append = false;  // `+=`: the value is a new item at the end of the list
  bool ok = true;

  void fail(const std::string& path, const std::string& message) {
    ctx.diagnostics().error({where_label, 0, 0}, path, message);
    ok = false;
  }

  // Sets the value at segments[i…] below node (reached by `path`); returns the new node.
  Tree at(const Tree& node, std::size_t i, const std::string& path) {
    if (i == segments.size()) return place(node, path);
    const KeyPathSegment& s = segments[i];
    if (s.key.empty()) return select(node, *s.selector, path, i);
    const std::string here = join_path(path, s.key);
    if (node.is_defined() && !node.is_null() && !node.is_map()) {
      fail(here, "cannot set a key inside " + (path.empty() ? std::string("the scenario") : path) +
                     ", which is a single value or a list");
      return node;
    }
    const Tree child = node.child(s.key);
    Tree updated;
    if (s.selector) {
      updated = select(child, *s.selector, here, i);
    } else if (child.is_sequence() && i + 1 < segments.size() && !segments[i + 1].selector) {
      updated = select(child, segments[i + 1].key, here, i + 1);  // agents.meta.cash: `meta` names an item
    } else {
      updated = at(child, i + 1, here);
    }
    return replace_key(node, s.key, updated);
  }

  // The value that takes the place of node: the assigned value, or with `+=` the list node with
  // the value appended. Replacing a whole list of items (agents, events; not a list of names) or
  // a whole series is allowed but warned about: it is more often a slip for one item or quarter.
  Tree place(const Tree& node, const std::string& path) {
    const SourceLocation here{where_label, 0, 0};
    if (append) {
      if (node.is_defined() && !node.is_null() && !node.is_sequence()) {
        fail(path, "is not a list; `+=` appends an item to a list, e.g. --set 'events+={name: x, kind: base_rate, "
                   "at: 2027Q1, rate: 6%}'");
        return node;
      }
      std::vector<Tree> items = node.is_sequence() ? node.items() : std::vector<Tree>{};
      items.push_back(value);
      return Tree::sequence(std::move(items), node.is_sequence() ? node.where() : here);
    }
    const bool of_items = node.is_sequence() && std::any_of(node.items().begin(), node.items().end(),
                                                            [](const Tree& item) { return item.is_map(); });
    if (of_items) {
      ctx.diagnostics().warning(here, path,
                                "replaces the whole list (" + std::to_string(node.size()) +
                                    (node.size() == 1 ? " item" : " items") + "); to change one item write " + path +
                                    "[NAME].KEY=VALUE, to add one " + path + "+={…}");
    } else if (is_series(node)) {
      ctx.diagnostics().warning(here, path,
                                "replaces the whole time series (" + std::to_string(node.entries().size()) +
                                    " points) with the value given");
    }
    return value;
  }

  // list is a list; the items `selector` picks (one by its name or number, or several) get
  // segments[i+1…].
  Tree select(const Tree& list, const std::string& selector, const std::string& path, std::size_t i) {
    if (!list.is_sequence()) {
      fail(path, "is not a list, so it has no item '" + selector + "'");
      return list;
    }
    std::string problem;
    const auto picked = select_items(list, selector, problem);
    if (picked.empty()) {
      fail(path, problem);
      return list;
    }
    std::vector<Tree> items = list.items();
    for (const std::size_t index : picked) {
      std::string id = item_identity(items[index], "name");
      if (id.empty()) id = item_identity(items[index], "bloc");
      items[index] = at(items[index], i + 1, path + "[" + (id.empty() ? std::to_string(index) : id) + "]");
    }
    return Tree::sequence(std::move(items), list.where());
  }

  // map with key set to updated. A key (or a mapping) the assignment creates is placed at the
  // --set, so that problems with it (an unknown key) are reported there.
  Tree replace_key(const Tree& map, const std::string& key, const Tree& updated) const {
    const SourceLocation here{where_label, 0, 0};
    std::vector<Tree::Entry> entries = map.entries();
    bool found = false;
    for (auto& [k, v] : entries) {
      if (k.is_scalar() && k.scalar() == key) {
        v = updated;
        found = true;
        break;
      }
    }
    if (!found) entries.emplace_back(Tree::scalar(key, here), updated);
    return Tree::map(std::move(entries), map.is_map() ? map.where() : here);
  }
};

}  // namespace

Tree apply_assignment(const Tree& root, const std::string& assignment, YamlContext& ctx) {
  const std::string label = "--set " + assignment;
  const std::size_t eq = assignment_split(assignment);
  const bool append = eq != std::string::npos && assignment[eq] == '+';
  const auto segments = eq == std::string::npos ? std::nullopt : parse_key_path(std::string_view(assignment).substr(0, eq));
  if (!segments) {
    ctx.diagnostics().error({label, 0, 0}, "",
                            "expected key.path=value, e.g. --set agents.meta.strategy.momentum=0.8, "
                            "--set 'regions[us-east].interconnection_time=7 years', --set 'agents[*].cash=$1B' or "
                            "--set 'events+={name: hike, kind: base_rate, at: 2027Q1, rate: 6%}'");
    return root;
  }
  if (segments->size() > limits::max_nesting_depth) {
    ctx.diagnostics().error({label, 0, 0}, "",
                            "the key path has " + std::to_string(segments->size()) + " parts; at most " +
                                std::to_string(limits::max_nesting_depth) + " are allowed");
    return root;
  }
  const std::string text = assignment.substr(eq + (append ? 2 : 1));
  const SourceLocation where{label, 0, 0};
  Tree value;
  if (text == "~" || text == "null") {
    value = Tree::null(where);
  } else if (!text.empty() && (text.front() == '[' || text.front() == '{')) {
    const std::size_t max_values = text.size() + limits::max_alias_values;
    YamlStream stream;
    try {
      stream = read_yaml(text, label, max_values, segments->size());
    } catch (const YAML::Exception&) {
      ctx.diagnostics().error(where, "", "the value '" + text + "' is not a valid YAML list or mapping");
      return root;
    }
    switch (stream.outcome) {
      case YamlStream::Outcome::done:
        value = stream.documents.empty() ? Tree::null(where) : stream.documents.front();
        break;
      case YamlStream::Outcome::too_many_values:
        ctx.diagnostics().error(where, "",
                                "the value has more than " + std::to_string(max_values) +
                                    " values (counting what anchors and aliases repeat)");
        return root;
      case YamlStream::Outcome::too_deep:
        ctx.diagnostics().error(where, "",
                                "the value is nested more than " + std::to_string(limits::max_nesting_depth) +
                                    " levels deep with its key path; expected a scenario a few levels deep");
        return root;
      case YamlStream::Outcome::stuck:
        ctx.diagnostics().error(where, "", "the value '" + text + "' is not a valid YAML list or mapping");
        return root;
    }
  } else {
    value = Tree::scalar(text, where);
  }
  Assign assign{ctx, *segments, value, label, append};
  Tree result = assign.at(root, 0, "");
  return assign.ok ? result : root;
}


namespace {

// Resolves segments[i…] below node (reached by `path`, named by `steps` so far), adding every
// path it names to `out`; false, with `problem`, when a selector picks nothing.
bool resolve_from(const Tree& node, const std::vector<KeyPathSegment>& segments, std::size_t i, const std::string& path,
                  std::vector<KeyPathStep> steps, std::vector<std::vector<KeyPathStep>>& out, std::string& problem) {
  if (i == segments.size()) {
    out.push_back(std::move(steps));
    return true;
  }
  const KeyPathSegment& s = segments[i];
  if (s.key.empty()) {
    problem = (path.empty() ? std::string("the scenario") : path) + " holds a list of lists, which an overlay cannot name";
    return false;
  }
  steps.push_back({s.key, "", ""});
  const std::string here = join_path(path, s.key);
  const Tree child = node.child(s.key);
  std::string selector;
  std::size_t next = i + 1;
  if (s.selector) {
    selector = *s.selector;
  } else if (child.is_sequence() && i + 1 < segments.size() && !segments[i + 1].selector) {
    selector = segments[i + 1].key;  // agents.meta.cash: `meta` names an item
    next = i + 2;
  } else {
    return resolve_from(child, segments, i + 1, here, std::move(steps), out, problem);
  }
  if (!child.is_sequence()) {
    problem = here + " is not a list, so it has no item '" + selector + "'";
    return false;
  }
  const auto picked = select_items(child, selector, problem);
  if (picked.empty()) {
    problem = here + " has " + problem;
    return false;
  }
  for (const std::size_t index : picked) {
    const Tree& item = child[index];
    bool named = false;
    for (const char* id_key : {"name", "bloc"}) {
      if (const std::string id = item_identity(item, id_key); !id.empty()) {
        steps.back().item_key = id_key;
        steps.back().item = id;
        if (!resolve_from(item, segments, next, here + "[" + id + "]", steps, out, problem)) return false;
        named = true;
        break;
      }
    }
    if (!named) {
      problem = here + "[" + (is_multi_selector(selector) ? std::to_string(index) : selector) +
                "] has neither a name nor a bloc to be named by";
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::vector<std::vector<KeyPathStep>>> resolve_key_path(const Tree& root,
                                                                      const std::vector<KeyPathSegment>& segments,
                                                                      std::string& problem) {
  std::vector<std::vector<KeyPathStep>> out;
  if (!resolve_from(root, segments, 0, "", {}, out, problem)) return std::nullopt;
  return out;
}

}  // namespace aidc::detail
