#pragma once
// Private to the scenario layer: the declaration table. Each parameter is declared once, as a
// Field: its public description (ParamInfo) and how it is read into its spec struct. The loader
// reads with these tables; scenario_schema() describes them.

#include <functional>
#include <string>
#include <vector>

#include "aidc/scenario/schema.hpp"
#include "aidc/scenario/spec.hpp"
#include "yaml_reader.hpp"

namespace aidc::detail {

//! Names defined in the scenario (read in a first pass), for checking references.
struct Names {
  KnownNames chips, vendors, regions, sites, agents;
};

//! One parameter of a section whose spec struct is T.
template <class T>
struct Field {
  ParamInfo info;
  //! Reads the parameter from the section's reader into `out`, reporting problems.
  std::function<void(MapReader& reader, T& out, const Names& names)> read;
  //! For nested sections: appends their SectionInfo (and theirs) under `parent` path.
  std::function<void(std::vector<SectionInfo>& out, const std::string& parent)> describe_nested;
};

template <class T>
using Fields = std::vector<Field<T>>;

//! Reads every field of a section, in declaration order.
template <class T>
void read_fields(MapReader& reader, const Fields<T>& fields, T& out, const Names& names) {
  for (const auto& field : fields) field.read(reader, out, names);
}

//! Which keys each event kind takes (beyond name, kind, at and duration), declared once: the
//! check of events (schema.cpp), the defaults and the reference read it.
struct EventRule {
  EventKind kind;
  std::vector<std::string> required;
  std::vector<std::string> optional;
  const char* help;
};

//! Every event kind's rule, in the reference's order.
const std::vector<EventRule>& event_rules();

//! The top level of a scenario (which nests every other section).
const Fields<ScenarioSpec>& scenario_fields();

//! root with every simulated parameter it leaves out written in with its default, in every
//! section it has (sections it lacks are not added): the scenario exactly as it will run.
Tree with_defaults(const Tree& root);

}  // namespace aidc::detail
