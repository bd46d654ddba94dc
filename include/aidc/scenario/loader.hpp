#pragma once
//! Reading a scenario: YAML text → validated ScenarioSpec, or every problem found.

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aidc/scenario/spec.hpp"
#include "aidc/text/key_path.hpp"

namespace aidc {

//! Parses and validates a scenario file. A top-level `extends: base.yaml` (relative to the file)
//! is merged under it first (see sim/scenario/compose.hpp for the rules), then each override
//! `key.path=value` is applied in order. Throws ScenarioError listing every problem (each at its
//! own file:line:col, or at its --set) if anything cannot be read or is invalid; warnings ride
//! along in spec.warnings.
ScenarioSpec load_scenario_file(const std::filesystem::path& path, const std::vector<std::string>& overrides = {});

//! Same, from text; `source` names it in messages and anchors relative `extends` paths.
ScenarioSpec load_scenario_text(std::string_view yaml_text, const std::string& source,
                                const std::vector<std::string>& overrides = {});

//! A scenario read once — parsed, its `extends` chain merged — and turned into a spec as often as
//! needed, each time with its own overrides: what a sweep does for each of its runs, without
//! parsing the YAML again. Copies share the parsed tree; instantiate() may run on several
//! threads at once.
class ScenarioTemplate {
 public:
  //! Throws ScenarioError if the text (or a file it extends) cannot be read or parsed.
  ScenarioTemplate(std::string_view yaml_text, const std::string& source);
  //! The scenario file at `path`. Throws ScenarioError if it (or a file it extends) cannot be
  //! read or parsed.
  static ScenarioTemplate from_file(const std::filesystem::path& path);
  //! The embedded default scenario.
  static ScenarioTemplate default_scenario();
  //! The validated spec with these overrides applied, as load_scenario_text gives it. With
  //! `with_resolved_yaml` false, spec.resolved_yaml stays empty (writing it is a third of the
  //! cost of a spec; a sweep's runs do not need it). Throws ScenarioError.
  [[nodiscard]] ScenarioSpec instantiate(const std::vector<std::string>& overrides = {},
                                         bool with_resolved_yaml = true) const;
  //! A `--set` key path (any of its forms) resolved against this scenario, as a YAML overlay of
  //! it names the value: list items by their name (by bloc in `demand`). One path, or with a
  //! selector (`agents[*].cash`, `agents[kind=lab].cash`) one per item it picks, in list order.
  //! Throws ScenarioError, reported at `where` with the path, if the path is malformed or a
  //! selector picks no item (the message lists what there is to pick).
  [[nodiscard]] std::vector<std::vector<KeyPathStep>> resolve_key_paths(std::string_view path,
                                                                        const SourceLocation& where) const;

 private:
  struct Parsed;
  std::shared_ptr<const Parsed> parsed_;
};

//! The default scenario compiled into the binary (scenarios/baseline.yaml).
ScenarioSpec load_default_scenario(const std::vector<std::string>& overrides = {});

//! The YAML text of the embedded default scenario.
std::string_view default_scenario_text() noexcept;

}  // namespace aidc
