#pragma once
// Private to the scenario layer: a parsed YAML node that remembers the file, line and column it
// was written at. Scenarios are read from Trees rather than yaml-cpp nodes so that a scenario
// composed from several files (`extends`) and command-line overrides (`--set`) still reports
// every problem at its own file:line:col.

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "aidc/scenario/diagnostic.hpp"

namespace aidc::detail {

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
  //! How a conversion from yaml-cpp ended.
  enum class Conversion { done, too_many_values, too_deep };
  //! Converts a yaml-cpp document; `budget` is decremented per node (aliases expand), and the
  //! conversion stops when it runs out, or when lists and mappings are nested more than
  //! limits::max_nesting_depth levels (`depth` is the level of `node`).
  static Conversion from_yaml(const YAML::Node& node, const std::string& file, std::size_t& budget, Tree& out,
                              std::size_t depth = 0);

  [[nodiscard]] Kind kind() const noexcept { return data_ ? data_->kind : Kind::undefined; }
  [[nodiscard]] bool is_defined() const noexcept { return kind() != Kind::undefined; }
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

//! map[key], or an undefined node when map is not a mapping or lacks the key.
inline Tree child(const Tree& map, const std::string& key) { return map.child(key); }

}  // namespace aidc::detail
