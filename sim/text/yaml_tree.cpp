#include "aidc/text/yaml_tree.hpp"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <sstream>
#include <unordered_map>

#include "aidc/text/limits.hpp"

namespace aidc {

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

namespace {

//! Thrown by the builder to stop reading.
struct StopReading {
  YamlStream::Outcome outcome;
  YAML::Mark at;
};

//! Builds the Tree of one document from the parser's events.
class TreeBuilder : public YAML::EventHandler {
 public:
  TreeBuilder(const std::string& file, std::size_t max_values, std::size_t depth)
      : file_(file), max_values_(max_values), base_depth_(depth) {}

  //! The document's root once it is read (undefined before).
  [[nodiscard]] const Tree& root() const noexcept { return root_; }
  //! Where the root starts.
  [[nodiscard]] const YAML::Mark& root_mark() const noexcept { return root_mark_; }
  [[nodiscard]] const std::optional<std::pair<YAML::Mark, std::string>>& last_scalar() const noexcept {
    return last_scalar_;
  }

  void OnDocumentStart(const YAML::Mark&) override {
    stack_.clear();
    anchors_.clear();
    root_ = Tree();
    last_scalar_.reset();
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { leaf(Tree::null(where(mark)), mark, anchor); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    const auto it = anchors_.find(anchor);
    if (it == anchors_.end()) return;  // the parser reports an unknown anchor itself
    const Anchored& a = it->second;
    count(a.values, mark);
    if (base_depth_ + stack_.size() + a.height > limits::max_nesting_depth) {
      throw StopReading{YamlStream::Outcome::too_deep, mark};
    }
    attach(a.tree, a.values, a.height, mark);
  }
  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    last_scalar_ = {mark, tag};
    leaf(Tree::scalar(value, where(mark)), mark, anchor);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(false, mark, anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(true, mark, anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Frame {
    bool is_map = false;
    YAML::Mark mark;
    YAML::anchor_t anchor = 0;
    std::vector<Tree> items;
    std::vector<Tree::Entry> entries;
    // A mapping's key waiting for its value. (Not a std::optional<Tree>: GCC 12 at -O2 warns that
    // its shared pointer may be used uninitialized.)
    Tree key;
    bool has_key = false;
    std::size_t values = 1;   // this node and everything below it, aliases expanded
    std::size_t height = 0;   // levels below it
  };
  struct Anchored {
    Tree tree;
    std::size_t values = 0;
    std::size_t height = 0;
  };

  [[nodiscard]] SourceLocation where(const YAML::Mark& mark) const {
    return mark.is_null() ? SourceLocation{file_, 0, 0} : SourceLocation{file_, mark.line + 1, mark.column + 1};
  }
  void count(std::size_t values, const YAML::Mark& mark) {
    used_ += values;
    if (used_ > max_values_) throw StopReading{YamlStream::Outcome::too_many_values, mark};
  }
  void check_depth(const YAML::Mark& mark) const {
    if (base_depth_ + stack_.size() > limits::max_nesting_depth) throw StopReading{YamlStream::Outcome::too_deep, mark};
  }
  void leaf(Tree tree, const YAML::Mark& mark, YAML::anchor_t anchor) {
    count(1, mark);
    check_depth(mark);
    if (anchor != YAML::NullAnchor) anchors_[anchor] = {tree, 1, 0};
    attach(std::move(tree), 1, 0, mark);
  }
  void open(bool is_map, const YAML::Mark& mark, YAML::anchor_t anchor) {
    count(1, mark);
    check_depth(mark);
    Frame f;
    f.is_map = is_map;
    f.mark = mark;
    f.anchor = anchor;
    stack_.push_back(std::move(f));
  }
  void close() {
    Frame f = std::move(stack_.back());
    stack_.pop_back();
    Tree tree =
        f.is_map ? Tree::map(std::move(f.entries), where(f.mark)) : Tree::sequence(std::move(f.items), where(f.mark));
    if (f.anchor != YAML::NullAnchor) anchors_[f.anchor] = {tree, f.values, f.height};
    attach(std::move(tree), f.values, f.height, f.mark);
  }
  // Puts a finished node into the list or mapping being read, or makes it the root.
  void attach(Tree tree, std::size_t values, std::size_t height, const YAML::Mark& mark) {
    if (stack_.empty()) {
      root_ = std::move(tree);
      root_mark_ = mark;
      return;
    }
    Frame& parent = stack_.back();
    parent.values += values;
    parent.height = std::max(parent.height, height + 1);
    if (!parent.is_map) {
      parent.items.push_back(std::move(tree));
    } else if (!parent.has_key) {
      parent.key = std::move(tree);
      parent.has_key = true;
    } else {
      parent.entries.emplace_back(std::move(parent.key), std::move(tree));
      parent.key = Tree();
      parent.has_key = false;
    }
  }

  const std::string& file_;
  std::size_t max_values_;
  std::size_t base_depth_;
  std::size_t used_ = 0;  // values read so far, in every document
  std::vector<Frame> stack_;
  std::unordered_map<YAML::anchor_t, Anchored> anchors_;
  Tree root_;
  YAML::Mark root_mark_;
  std::optional<std::pair<YAML::Mark, std::string>> last_scalar_;  // mark and tag
};

}  // namespace

YamlStream read_yaml(const std::string& text, const std::string& file, std::size_t max_values, std::size_t depth) {
  YamlStream stream;
  std::istringstream in(text);
  YAML::Parser parser(in);
  TreeBuilder builder(file, max_values, depth);
  const auto stop = [&](YamlStream::Outcome outcome, const YAML::Mark& at) {
    stream.outcome = outcome;
    stream.stopped_at = at.is_null() ? SourceLocation{file, 0, 0} : SourceLocation{file, at.line + 1, at.column + 1};
    stream.stopped_at_offset = static_cast<std::size_t>(std::max(at.pos, 0));
    return stream;
  };
  std::optional<int> last_empty_at;  // where the last document, if it was empty, was found
  try {
    while (parser.HandleNextDocument(builder)) {
      if (!builder.root().is_null()) {
        last_empty_at.reset();
      } else if (last_empty_at == builder.root_mark().pos) {
        return stop(YamlStream::Outcome::stuck, builder.root_mark());  // nothing was consumed
      } else {
        last_empty_at = builder.root_mark().pos;
      }
      stream.documents.push_back(builder.root());
      const auto& last = builder.last_scalar();
      stream.last_non_plain_scalar.reset();
      if (last && last->second == "!") {
        const YAML::Mark& m = last->first;
        stream.last_non_plain_scalar = {
            {static_cast<std::size_t>(std::max(m.pos, 0)), SourceLocation{file, m.line + 1, m.column + 1}}};
      }
    }
  } catch (const StopReading& s) {
    return stop(s.outcome, s.at);
  }
  return stream;
}

std::string describe_node(const Tree& n) {
  if (!n.is_defined() || n.is_null()) return "nothing";
  if (n.is_sequence()) return "a list";
  if (n.is_map()) return "a mapping";
  std::string text = n.scalar();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  return "'" + text + "'";
}

}  // namespace aidc
