#pragma once
//! A parsed YAML node that remembers the file, line and column it was written at, and the reader
//! that builds it from yaml-cpp's parser events. Scenarios and sweep files are read from Trees
//! rather than yaml-cpp nodes so that a scenario composed from several files (`extends`) and
//! command-line overrides (`--set`) still reports every problem at its own file:line:col.

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "aidc/text/diagnostic.hpp"

namespace aidc {

//! An immutable YAML node (a cheap handle: copies share the data). A default Tree is
//! "undefined": what a lookup of a missing key returns.
class Tree {
 public:
  enum class Kind { undefined, null, scalar, sequence, map };
  using Entry = std::pair<Tree, Tree>;  //!< key node, value node

  Tree() = default;
  static Tree null(SourceLocation where);
  static Tree scalar(std::string text, SourceLocation where);
  static Tree sequence(std::vector<Tree> items, SourceLocation where);
  //! Entries keep file order and duplicates (so repeated keys can be reported).
  static Tree map(std::vector<Entry> entries, SourceLocation where);
  [[nodiscard]] Kind kind() const noexcept { return data_ ? data_->kind : Kind::undefined; }
  [[nodiscard]] bool is_defined() const noexcept { return kind() != Kind::undefined; }
  //! is_defined(): `if (node.child("key"))` asks whether the key is there.
  explicit operator bool() const noexcept { return is_defined(); }
  [[nodiscard]] bool is_null() const noexcept { return kind() == Kind::null; }
  [[nodiscard]] bool is_scalar() const noexcept { return kind() == Kind::scalar; }
  [[nodiscard]] bool is_sequence() const noexcept { return kind() == Kind::sequence; }
  [[nodiscard]] bool is_map() const noexcept { return kind() == Kind::map; }
  //! The text of a scalar (empty for other kinds).
  [[nodiscard]] const std::string& scalar() const noexcept;
  //! Items of a sequence or entries of a map.
  [[nodiscard]] std::size_t size() const noexcept;
  //! The i-th item of a sequence, or undefined.
  [[nodiscard]] Tree operator[](std::size_t i) const;
  [[nodiscard]] const std::vector<Tree>& items() const noexcept;
  [[nodiscard]] const std::vector<Entry>& entries() const noexcept;
  //! The value of the first entry whose key is `key`, or undefined (also when not a map).
  [[nodiscard]] Tree child(const std::string& key) const;
  //! Where the node starts; file "" and line 0 for undefined nodes.
  [[nodiscard]] const SourceLocation& where() const noexcept;

  //! The node as YAML text (block style; short lists of plain values in flow style).
  [[nodiscard]] std::string to_yaml() const;

 private:
  struct Data {
    Kind kind = Kind::undefined;
    std::string text;
    std::vector<Tree> items;
    std::vector<Entry> entries;
    SourceLocation where;
  };
  explicit Tree(std::shared_ptr<const Data> data) : data_(std::move(data)) {}
  void emit(YAML::Emitter& out) const;
  std::shared_ptr<const Data> data_;
};

//! A YAML stream read into Trees, one per document.
struct YamlStream {
  enum class Outcome {
    done,             //!< every document was read
    too_many_values,  //!< more values than allowed, counting what aliases repeat
    too_deep,         //!< lists and mappings nested more than limits::max_nesting_depth levels
    stuck,            //!< yaml-cpp stopped making progress (see read_yaml)
  };
  Outcome outcome = Outcome::done;
  std::vector<Tree> documents;  //!< each document's root (a null Tree for an empty document)
  //! Where reading stopped, when it did not end: the value too many or too deep, or the token
  //! the parser is stuck on.
  SourceLocation stopped_at;
  std::size_t stopped_at_offset = 0;  //!< the same place as a byte offset in the text (BOM not counted)
  //! The last scalar of the last document, when it is quoted (or a block scalar): its offset in
  //! the text (BOM not counted) and its place. A quote that never closes can only be there.
  std::optional<std::pair<std::size_t, SourceLocation>> last_non_plain_scalar;
};

//! Reads text as YAML straight from yaml-cpp's parser events (no yaml-cpp node graph is built),
//! every node placed in `file` at its line and column. What an alias repeats is shared, not
//! copied, but counts as if it were: reading stops once more than max_values values were read,
//! or at a list or mapping nested more than limits::max_nesting_depth levels below `depth` (the
//! level the roots sit at). It also stops where yaml-cpp 0.7 would yield empty documents forever
//! (a ',' after a complete value, `[a],`: the parser never consumes it; yaml-cpp issue 1040,
//! fixed after 0.7). Syntax errors are thrown as yaml-cpp's exceptions.
YamlStream read_yaml(const std::string& text, const std::string& file, std::size_t max_values,
                     std::size_t depth = 0);

//! What a node holds, for messages: "a list", "a mapping", "nothing" or the value in quotes.
std::string describe_node(const Tree& n);

}  // namespace aidc
