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

struct Assign {
  YamlContext& ctx;
  const std::vector<KeyPathSegment>& segments;
  const Tree& value;
  const std::string& where_label;
  bool ok = true;

  void fail(const std::string& path, const std::string& message) {
    ctx.diagnostics().error({where_label, 0, 0}, path, message);
    ok = false;
  }

  // Sets the value at segments[i…] below node (reached by `path`); returns the new node.
  Tree at(const Tree& node, std::size_t i, const std::string& path) {
    if (i == segments.size()) return value;
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

  // list is a list; its item named (or numbered) `selector` gets segments[i+1…].
  Tree select(const Tree& list, const std::string& selector, const std::string& path, std::size_t i) {
    if (!list.is_sequence()) {
      fail(path, "is not a list, so it has no item '" + selector + "'");
      return list;
    }
    std::vector<std::string> known;
    const auto index = select_item(list, selector, known);
    if (!index) {
      const std::string hint = suggest(selector, known);
      fail(path, "no item named '" + selector + "'" + (hint.empty() ? "" : " " + hint));
      return list;
    }
    std::vector<Tree> items = list.items();
    items[*index] = at(items[*index], i + 1, path + "[" + selector + "]");
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
  const std::size_t eq = assignment.find('=');
  const auto segments = eq == std::string::npos ? std::nullopt : parse_key_path(std::string_view(assignment).substr(0, eq));
  if (!segments) {
    ctx.diagnostics().error({label, 0, 0}, "",
                            "expected key.path=value, e.g. --set agents.meta.strategy.momentum=0.8 or "
                            "--set 'regions[us-east].interconnection_time=7 years'");
    return root;
  }
  if (segments->size() > limits::max_nesting_depth) {
    ctx.diagnostics().error({label, 0, 0}, "",
                            "the key path has " + std::to_string(segments->size()) + " parts; at most " +
                                std::to_string(limits::max_nesting_depth) + " are allowed");
    return root;
  }
  const std::string text = assignment.substr(eq + 1);
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
  Assign assign{ctx, *segments, value, label};
  Tree result = assign.at(root, 0, "");
  return assign.ok ? result : root;
}


std::optional<std::vector<KeyPathStep>> resolve_key_path(const Tree& root, const std::vector<KeyPathSegment>& segments,
                                                         std::string& problem) {
  std::vector<KeyPathStep> steps;
  Tree node = root;
  std::string path;
  // The item of `list` named (or numbered) `selector`, recorded in the last step.
  const auto choose = [&](const Tree& list, const std::string& selector) {
    if (!list.is_sequence()) {
      problem = path + " is not a list, so it has no item '" + selector + "'";
      return false;
    }
    std::vector<std::string> known;
    const auto index = select_item(list, selector, known);
    if (!index) {
      const std::string hint = suggest(selector, known);
      problem = path + " has no item named '" + selector + "'" + (hint.empty() ? "" : " " + hint);
      return false;
    }
    node = list[*index];
    for (const char* id_key : {"name", "bloc"}) {
      if (const std::string id = item_identity(node, id_key); !id.empty()) {
        steps.back().item_key = id_key;
        steps.back().item = id;
        path += "[" + id + "]";
        return true;
      }
    }
    problem = path + "[" + selector + "] has neither a name nor a bloc to be named by";
    return false;
  };
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const KeyPathSegment& s = segments[i];
    if (s.key.empty()) {
      problem = (path.empty() ? std::string("the scenario") : path) + " holds a list of lists, which an overlay cannot name";
      return std::nullopt;
    }
    steps.push_back({s.key, "", ""});
    path = join_path(path, s.key);
    const Tree child = node.child(s.key);
    if (s.selector) {
      if (!choose(child, *s.selector)) return std::nullopt;
    } else if (child.is_sequence() && i + 1 < segments.size() && !segments[i + 1].selector) {
      if (!choose(child, segments[++i].key)) return std::nullopt;  // agents.meta.cash: `meta` names an item
    } else {
      node = child;
    }
  }
  return steps;
}

}  // namespace aidc::detail
