#include "tree.hpp"

#include <algorithm>

#include "aidc/scenario/limits.hpp"

namespace aidc::detail {

namespace {
const std::string empty_text;
const std::vector<Tree> no_items;
const std::vector<Tree::Entry> no_entries;
const SourceLocation nowhere;
}  // namespace

Tree Tree::null(SourceLocation where) {
  return Tree(std::make_shared<const Data>(Data{Kind::null, {}, {}, {}, std::move(where)}));
}

Tree Tree::scalar(std::string text, SourceLocation where) {
  return Tree(std::make_shared<const Data>(Data{Kind::scalar, std::move(text), {}, {}, std::move(where)}));
}

Tree Tree::sequence(std::vector<Tree> items, SourceLocation where) {
  return Tree(std::make_shared<const Data>(Data{Kind::sequence, {}, std::move(items), {}, std::move(where)}));
}

Tree Tree::map(std::vector<Entry> entries, SourceLocation where) {
  return Tree(std::make_shared<const Data>(Data{Kind::map, {}, {}, std::move(entries), std::move(where)}));
}

Tree::Conversion Tree::from_yaml(const YAML::Node& node, const std::string& file, std::size_t& budget, Tree& out,
                                 std::size_t depth) {
  if (budget == 0) return Conversion::too_many_values;
  if (depth > limits::max_nesting_depth) return Conversion::too_deep;
  --budget;
  SourceLocation where{file, 0, 0};
  if (node.IsDefined() && !node.Mark().is_null()) where = {file, node.Mark().line + 1, node.Mark().column + 1};
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
      out = Tree();
      return Conversion::done;
    case YAML::NodeType::Null:
      out = null(where);
      return Conversion::done;
    case YAML::NodeType::Scalar:
      out = scalar(node.Scalar(), where);
      return Conversion::done;
    case YAML::NodeType::Sequence: {
      std::vector<Tree> items(node.size());
      for (std::size_t i = 0; i < node.size(); ++i) {
        const Conversion c = from_yaml(node[i], file, budget, items[i], depth + 1);
        if (c != Conversion::done) return c;
      }
      out = sequence(std::move(items), where);
      return Conversion::done;
    }
    case YAML::NodeType::Map: {
      std::vector<Entry> entries;
      entries.reserve(node.size());
      for (const auto& kv : node) {
        Entry e;
        Conversion c = from_yaml(kv.first, file, budget, e.first, depth + 1);
        if (c == Conversion::done) c = from_yaml(kv.second, file, budget, e.second, depth + 1);
        if (c != Conversion::done) return c;
        entries.push_back(std::move(e));
      }
      out = map(std::move(entries), where);
      return Conversion::done;
    }
  }
  return Conversion::done;
}

const std::string& Tree::scalar() const noexcept { return is_scalar() ? data_->text : empty_text; }

std::size_t Tree::size() const noexcept {
  if (is_sequence()) return data_->items.size();
  if (is_map()) return data_->entries.size();
  return 0;
}

Tree Tree::operator[](std::size_t i) const { return is_sequence() && i < data_->items.size() ? data_->items[i] : Tree(); }

const std::vector<Tree>& Tree::items() const noexcept { return is_sequence() ? data_->items : no_items; }

const std::vector<Tree::Entry>& Tree::entries() const noexcept { return is_map() ? data_->entries : no_entries; }

Tree Tree::child(const std::string& key) const {
  for (const auto& [k, v] : entries()) {
    if (k.is_scalar() && k.scalar() == key) return v;
  }
  return Tree();
}

const SourceLocation& Tree::where() const noexcept { return data_ ? data_->where : nowhere; }

void Tree::emit(YAML::Emitter& out) const {
  switch (kind()) {
    case Kind::undefined:
    case Kind::null:
      out << YAML::Null;
      return;
    case Kind::scalar:
      out << data_->text;
      return;
    case Kind::sequence: {
      const bool flat = std::all_of(data_->items.begin(), data_->items.end(), [](const Tree& t) { return t.is_scalar(); });
      out << (flat ? YAML::Flow : YAML::Block) << YAML::BeginSeq;
      for (const auto& item : data_->items) item.emit(out);
      out << YAML::EndSeq;
      return;
    }
    case Kind::map:
      out << YAML::Block << YAML::BeginMap;
      for (const auto& [k, v] : data_->entries) {
        out << YAML::Key;
        k.emit(out);
        out << YAML::Value;
        v.emit(out);
      }
      out << YAML::EndMap;
      return;
  }
}

std::string Tree::to_yaml() const {
  YAML::Emitter out;
  emit(out);
  return std::string(out.c_str()) + "\n";
}

}  // namespace aidc::detail
