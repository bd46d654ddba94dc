#pragma once
//! The YAML front end of every input file (scenarios, sweep files): text → one document whose top
//! level is a mapping, as a Tree, with yaml-cpp's syntax errors retold in plain words at the most
//! likely place of the mistake, invalid UTF-8, alias bombs and absurd nesting refused.

#include <string>
#include <string_view>

#include "aidc/text/diagnostic.hpp"
#include "aidc/text/yaml_tree.hpp"

namespace aidc {

//! What the document is, for messages: "expected a scenario with keys run, chips, …".
struct YamlDocumentKind {
  std::string_view noun;    //!< "scenario"
  std::string_view plural;  //!< "scenarios"
  std::string_view keys;    //!< the main top-level keys, "run, chips, vendors, regions, agents, demand"
  //! Every top-level key the document may have. A mapping with none of them is refused as a whole,
  //! without naming its keys: a file that is not one (`extends: /etc/shadow`) is never echoed.
  //! Empty: not checked.
  const std::string_view* known_keys = nullptr;
  std::size_t known_key_count = 0;
};

//! Parses text as one YAML document whose top level is a mapping, as a Tree whose nodes carry
//! `file` and their line and column. Throws ScenarioError (holding what `diags` had, and one more
//! diagnostic with file:line:col) for invalid UTF-8, a syntax error, an empty file, an unclosed
//! quote, or a top level that is not a mapping; a second document is recorded in `diags` and
//! reading goes on.
Tree parse_yaml_document(std::string_view text, const std::string& file, Diagnostics& diags,
                         const YamlDocumentKind& kind);

}  // namespace aidc
