// The scenario exactly as it will run: every simulated parameter it leaves out written in with its
// default (`show --resolved`, run.json's resolved scenario).

#include <algorithm>

#include "aidc/scenario/schema.hpp"
#include "fields.hpp"

namespace aidc {

namespace detail {
namespace {

const SectionInfo* section_at(const std::string& path) {
  for (const auto& s : scenario_schema()) {
    if (s.path == path) return &s;
  }
  return nullptr;
}

Tree fill(const Tree& node, const std::string& path) {
  const SectionInfo* section = section_at(path);
  if (section == nullptr || !node.is_map()) return node;
  std::vector<Tree::Entry> entries;
  for (const auto& [key, value] : node.entries()) {
    const std::string k = key.is_scalar() ? key.scalar() : "";
    const std::string sub = path.empty() ? k : path + "." + k;
    const auto param = std::find_if(section->params.begin(), section->params.end(),
                                    [&](const ParamInfo& p) { return p.key == k; });
    Tree filled = value;
    if (param != section->params.end() && param->kind == ValueKind::mapping) filled = fill(value, sub);
    if (param != section->params.end() && param->kind == ValueKind::list && value.is_sequence()) {
      std::vector<Tree> items;
      for (const auto& item : value.items()) items.push_back(fill(item, sub + "[]"));
      filled = Tree::sequence(std::move(items), value.where());
    }
    entries.emplace_back(key, filled);
  }
  // An event takes only the keys of its kind: write in the defaults of those alone.
  const EventRule* rule = nullptr;
  if (path == "events[]") {
    const Tree kind = node.child("kind");
    for (const auto& r : event_rules()) {
      if (kind.is_scalar() && kind.scalar() == name_of(r.kind)) rule = &r;
    }
  }
  auto applies = [&](const std::string& key) {
    if (path != "events[]") return true;
    if (rule == nullptr) return false;
    return std::find(rule->optional.begin(), rule->optional.end(), key) != rule->optional.end() || key == "duration";
  };
  const SourceLocation from_default{"<default>", 0, 0};
  for (const auto& p : section->params) {
    const bool writable = p.kind == ValueKind::quantity || p.kind == ValueKind::duration ||
                          p.kind == ValueKind::seed || p.kind == ValueKind::choice;
    if (p.required || !writable || p.default_text.empty() || node.child(p.key).is_defined() || !applies(p.key)) {
      continue;
    }
    entries.emplace_back(Tree::scalar(p.key, from_default), Tree::scalar(p.default_text, from_default));
  }
  return Tree::map(std::move(entries), node.where());
}

}  // namespace

Tree with_defaults(const Tree& root) { return fill(root, ""); }

}  // namespace detail

}  // namespace aidc
