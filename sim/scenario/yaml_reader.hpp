#pragma once
// Private to the scenario layer: reads one YAML mapping into spec fields, checking types, units,
// ranges and unknown keys, and reporting every problem with its file:line:col and key path.

#include <span>
#include <string_view>

#include <cstdint>
#include <functional>
#include <set>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "aidc/scenario/limits.hpp"
#include "aidc/scenario/param_info.hpp"
#include "aidc/scenario/spec.hpp"
#include "aidc/scenario/units.hpp"
#include "aidc/text/diagnostic.hpp"
#include "aidc/text/yaml_tree.hpp"

namespace aidc::detail {



using aidc::Range;


//! The file being read and where its problems go.
class YamlContext {
 public:
  YamlContext(std::string file, Diagnostics& diagnostics) : file_(std::move(file)), diags_(diagnostics) {}
  [[nodiscard]] SourceLocation at(const Tree& node) const;
  void error(const Tree& node, const std::string& path, std::string message) {
    diags_.error(at(node), path, std::move(message));
  }
  void warning(const Tree& node, const std::string& path, std::string message) {
    diags_.warning(at(node), path, std::move(message));
  }
  [[nodiscard]] const std::string& file() const noexcept { return file_; }
  [[nodiscard]] Diagnostics& diagnostics() noexcept { return diags_; }

 private:
  std::string file_;
  Diagnostics& diags_;
};

//! The scenario's YAML document (parse_yaml_document with the scenario's wording): its problems
//! go to ctx; throws ScenarioError for one that stops reading.
Tree parse_scenario_yaml(std::string_view text, YamlContext& ctx);

//! The same for a whole scenario file (the one given, or one reached by `extends`): a mapping with
//! none of a scenario's top-level keys is refused whole, its keys and values never echoed.
Tree parse_scenario_file_yaml(std::string_view text, YamlContext& ctx);

//! The keys a scenario may have at its top level (a test checks them against the schema).
std::span<const std::string_view> scenario_top_level_keys() noexcept;

//! Names a value may refer to: in file order, for suggestions, and hashed, so that checking
//! each of many references against many names stays linear.
class KnownNames {
 public:
  KnownNames() = default;
  KnownNames(std::vector<std::string> names);  // NOLINT(google-explicit-constructor): choices are lists
  [[nodiscard]] bool contains(const std::string& name) const { return set_.count(name) > 0; }
  [[nodiscard]] const std::vector<std::string>& list() const noexcept { return list_; }
  [[nodiscard]] bool empty() const noexcept { return list_.empty(); }

 private:
  std::vector<std::string> list_;
  std::unordered_set<std::string> set_;
};

//! True once limits::max_errors errors were reported; the first time, also says that reading
//! stops (at `here`). Readers of long lists and mappings check it before each entry.
bool too_many_errors(YamlContext& ctx, const Tree& here);

//! Reads the keys of one mapping. Every key read is remembered; finish() reports the others as
//! unknown, with the closest known key as a suggestion.
class MapReader {
 public:
  MapReader(YamlContext& ctx, Tree node, std::string path);
  ~MapReader() = default;
  MapReader(const MapReader&) = delete;
  MapReader& operator=(const MapReader&) = delete;

  [[nodiscard]] bool is_map() const noexcept { return is_map_; }
  [[nodiscard]] const std::string& path() const noexcept { return path_; }
  [[nodiscard]] const Tree& node() const noexcept { return node_; }
  [[nodiscard]] SourceLocation where() const { return ctx_.at(node_); }
  [[nodiscard]] YamlContext& context() const noexcept { return ctx_; }
  //! The sub-path for key ("chips[H100].power").
  [[nodiscard]] std::string sub(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  //! The node under key (marks the key as known); a null node when absent. Reports a missing
  //! required key at the mapping.
  Tree get(const std::string& key, bool required);

  bool text(const std::string& key, std::string& out, bool required);
  //! A number with a unit, into its canonical unit; a bare number is read in canonical ×
  //! bare_factor (1e-3: kW where the canonical unit is MW).
  bool quantity(const std::string& key, double& out, Dimension dim, Range range, bool required,
                double bare_factor = 1.0);
  //! A duration that must be a whole number of quarters.
  bool quarters(const std::string& key, int& out, Range range, bool required);
  bool quarter(const std::string& key, Quarter& out, bool required);
  bool seed(const std::string& key, std::uint64_t& out, bool required);
  bool series(const std::string& key, TimeSeriesSpec& out, Dimension dim, Range range, bool required);
  //! A name that must be one of `known` ("unknown region 'us-esat' (did you mean 'us-east'?)").
  bool reference(const std::string& key, std::string& out, const KnownNames& known, const std::string& what,
                 bool required);
  //! A list of names, each one of `known`.
  bool reference_list(const std::string& key, std::vector<std::string>& out, const KnownNames& known,
                      const std::string& what, bool required);

  //! Calls fn(reader) for each item of the list under key; item paths read "chips[H100]" (by
  //! name) or "demand[0]". Reports a non-list, more than max_items items (reading none of them),
  //! empty items, items that are not mappings and duplicate names; stops once limits::max_errors
  //! errors were reported. first_key is the key items start with, for messages ("- name: ...").
  void items(const std::string& key, bool required, const std::string& first_key, std::size_t max_items,
             const std::function<void(MapReader&)>& fn);

  //! Reports keys that were never asked for, and required keys that are missing (a misspelt
  //! required key is reported once, as unknown with its suggestion).
  void finish();

 private:
  bool scalar_text(const Tree& n, const std::string& path, std::string& out);
  bool parse_value(const Tree& n, const std::string& path, double& out, Dimension dim, Range range,
                   double bare_factor = 1.0);

  YamlContext& ctx_;
  Tree node_;
  std::string path_;
  bool is_map_ = false;
  std::vector<std::string> known_keys_;
  std::vector<std::string> missing_;  // required keys not found, reported by finish()
};

}  // namespace aidc::detail
