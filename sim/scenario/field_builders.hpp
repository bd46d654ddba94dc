#pragma once
// Private to the scenario layer: the builders the declaration tables (schema.cpp) are written
// with. Each returns one Field: a parameter's description (ParamInfo, with its default as a user
// would write it) and how it is read into its spec member.

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "aidc/scenario/limits.hpp"
#include "fields.hpp"

namespace aidc::detail {

enum class Need { required, optional };

//! How a stored value is shown: the field stores canonical × scale, written in `unit`
//! (e.g. rack_kw: scale 1000, "kW"). The default shows the canonical unit.
struct Display {
  const char* unit = nullptr;
  double scale = 1.0;
};

inline std::string number_text(double v) {
  std::ostringstream os;
  os.precision(10);
  os << v;
  return os.str();
}

// 52e9 → "52B", 25000 → "25k"
inline std::string with_magnitude(double v) {
  const double a = std::abs(v);
  if (a >= 1e12) return number_text(v / 1e12) + "T";
  if (a >= 1e9) return number_text(v / 1e9) + "B";
  if (a >= 1e6) return number_text(v / 1e6) + "M";
  if (a >= 1e3) return number_text(v / 1e3) + "k";
  return number_text(v);
}

//! A stored value as a user would write it.
inline std::string value_text(double stored, Dimension dim, Display display) {
  const std::string unit = display.unit ? display.unit : std::string(canonical_unit(dim));
  switch (dim) {
    case Dimension::number:
      return number_text(stored);
    case Dimension::count:
      return with_magnitude(stored);
    case Dimension::fraction:
      return number_text(stored * 100) + "%";
    case Dimension::power:
      return number_text(stored) + " " + unit;
    case Dimension::money:
      return "$" + with_magnitude(stored);
    case Dimension::price_per_hour:
      return "$" + number_text(stored) + "/h";
    case Dimension::price_per_mwh:
      return "$" + number_text(stored) + "/MWh";
    case Dimension::money_per_mw:
      return "$" + with_magnitude(stored) + "/MW";
    case Dimension::duration:
      return number_text(stored) + " quarters";
    case Dimension::memory:
      return stored >= 1e3 ? number_text(stored / 1e3) + " GB" : number_text(stored) + " MB";
  }
  return number_text(stored);
}

inline std::string quarters_text(int q) {
  if (q % 4 == 0 && q > 0) return std::to_string(q / 4) + (q == 4 ? " year" : " years");
  return std::to_string(q) + (q == 1 ? " quarter" : " quarters");
}

inline ParamInfo info(const char* key, ValueKind kind, Need need, const char* help) {
  ParamInfo p;
  p.key = key;
  p.kind = kind;
  p.required = need == Need::required;
  p.help = help;
  return p;
}

template <class T>
Field<T> text(const char* key, std::string T::*member, Need need, const char* help) {
  const bool required = need == Need::required;
  return {info(key, ValueKind::text, need, help),
          [=](MapReader& r, T& out, const Names&) { r.text(key, out.*member, required); },
          {}};
}

template <class T>
Field<T> choice(const char* key, std::string T::*member, const std::vector<std::string>& choices, const char* what,
                const char* help) {
  ParamInfo p = info(key, ValueKind::choice, Need::required, help);
  p.choices = choices;
  p.refers_to = what;
  return {p,
          [=, known = KnownNames(choices)](MapReader& r, T& out, const Names&) {
            r.reference(key, out.*member, known, what, true);
          },
          {}};
}

//! A required choice read into its enum E (choices.hpp): the names are E's, in its order.
template <class T, class E>
Field<T> enum_choice(const char* key, E T::*member, const char* what, const char* help) {
  ParamInfo p = info(key, ValueKind::choice, Need::required, help);
  p.choices = choice_names<E>();
  p.refers_to = what;
  return {p,
          [=, known = KnownNames(p.choices)](MapReader& r, T& out, const Names&) {
            std::string name;
            if (r.reference(key, name, known, what, true)) out.*member = *choice_named<E>(name);
          },
          {}};
}

template <class T>
Field<T> choice_list(const char* key, std::vector<std::string> T::*member, const std::vector<std::string>& choices,
                     const char* what, const char* help) {
  ParamInfo p = info(key, ValueKind::reference_list, Need::required, help);
  p.choices = choices;
  p.refers_to = what;
  return {p,
          [=, known = KnownNames(choices)](MapReader& r, T& out, const Names&) {
            r.reference_list(key, out.*member, known, what, true);
          },
          {}};
}

template <class T>
Field<T> reference(const char* key, std::string T::*member, KnownNames Names::*names, const char* what,
                   const char* help) {
  ParamInfo p = info(key, ValueKind::reference, Need::required, help);
  p.refers_to = what;
  return {p, [=](MapReader& r, T& out, const Names& n) { r.reference(key, out.*member, n.*names, what, true); }, {}};
}

template <class T>
Field<T> reference_list(const char* key, std::vector<std::string> T::*member, KnownNames Names::*names,
                        const char* what, const char* help) {
  ParamInfo p = info(key, ValueKind::reference_list, Need::required, help);
  p.refers_to = what;
  return {
      p, [=](MapReader& r, T& out, const Names& n) { r.reference_list(key, out.*member, n.*names, what, true); }, {}};
}

template <class T>
Field<T> quantity(const char* key, double T::*member, Dimension dim, Range range, Need need, const char* help,
                  Display display = {}) {
  ParamInfo p = info(key, ValueKind::quantity, need, help);
  p.dimension = dim;
  p.range = range;
  p.unit = display.unit ? display.unit : std::string(canonical_unit(dim));
  p.unit_scale = display.scale;
  if (need == Need::optional) p.default_text = value_text(T{}.*member, dim, display);
  const bool required = need == Need::required;
  return {p,
          [=](MapReader& r, T& out, const Names&) {
            double v = 0.0;
            if (r.quantity(key, v, dim, range, required, 1.0 / display.scale)) out.*member = v * display.scale;
          },
          {}};
}

template <class T>
Field<T> duration(const char* key, int T::*member, Range range, Need need, const char* help) {
  ParamInfo p = info(key, ValueKind::duration, need, help);
  p.dimension = Dimension::duration;
  p.range = range;
  p.unit = "quarters";
  if (need == Need::optional) p.default_text = quarters_text(T{}.*member);
  const bool required = need == Need::required;
  return {p, [=](MapReader& r, T& out, const Names&) { r.quarters(key, out.*member, range, required); }, {}};
}

template <class T>
Field<T> quarter(const char* key, Quarter T::*member, Need need, const char* help, const char* default_text = "") {
  ParamInfo p = info(key, ValueKind::quarter, need, help);
  p.default_text = default_text;
  const bool required = need == Need::required;
  return {p, [=](MapReader& r, T& out, const Names&) { r.quarter(key, out.*member, required); }, {}};
}

template <class T>
Field<T> seed(const char* key, std::uint64_t T::*member, const char* help) {
  ParamInfo p = info(key, ValueKind::seed, Need::optional, help);
  p.default_text = std::to_string(T{}.*member);
  return {p, [=](MapReader& r, T& out, const Names&) { r.seed(key, out.*member, false); }, {}};
}

//! A series; an optional one left out is empty, which its reader takes as `absent` (0 unless said).
template <class T>
Field<T> series(const char* key, TimeSeriesSpec T::*member, Dimension dim, Range range, const char* help,
                Need need = Need::required, double absent = 0.0) {
  ParamInfo p = info(key, ValueKind::series, need, help);
  p.dimension = dim;
  p.range = range;
  p.unit = std::string(canonical_unit(dim));
  if (need == Need::optional) p.default_text = value_text(absent, dim, {});
  const bool required = need == Need::required;
  return {p, [=](MapReader& r, T& out, const Names&) { r.series(key, out.*member, dim, range, required); }, {}};
}

//! An optional choice among fixed values, with its default.
template <class T>
Field<T> option(const char* key, std::string T::*member, const std::vector<std::string>& choices, const char* help) {
  ParamInfo p = info(key, ValueKind::choice, Need::optional, help);
  p.choices = choices;
  p.default_text = T{}.*member;
  return {p,
          [=, known = KnownNames(choices)](MapReader& r, T& out, const Names&) {
            r.reference(key, out.*member, known, "value", false);
          },
          {}};
}

//! An optional choice read into its enum E (choices.hpp), with its default (the member's
//! initializer).
template <class T, class E>
Field<T> enum_option(const char* key, E T::*member, const char* help) {
  ParamInfo p = info(key, ValueKind::choice, Need::optional, help);
  p.choices = choice_names<E>();
  p.default_text = std::string(name_of(T{}.*member));
  return {p,
          [=, known = KnownNames(p.choices)](MapReader& r, T& out, const Names&) {
            std::string name;
            if (r.reference(key, name, known, "value", false)) out.*member = *choice_named<E>(name);
          },
          {}};
}

//! An optional yes/no setting (`true` or `false`); its default is the member's initializer.
template <class T>
Field<T> flag(const char* key, bool T::*member, const char* help) {
  ParamInfo p = info(key, ValueKind::choice, Need::optional, help);
  p.choices = {"false", "true"};
  p.default_text = T{}.*member ? "true" : "false";
  return {p,
          [=, known = KnownNames(p.choices)](MapReader& r, T& out, const Names&) {
            std::string value = out.*member ? "true" : "false";
            r.reference(key, value, known, "value", false);
            out.*member = value == "true";
          },
          {}};
}

//! An optional reference to a named item.
template <class T>
Field<T> optional_reference(const char* key, std::string T::*member, KnownNames Names::*names,
                            const char* what, const char* help) {
  ParamInfo p = info(key, ValueKind::reference, Need::optional, help);
  p.refers_to = what;
  p.default_text = "none";
  return {p, [=](MapReader& r, T& out, const Names& n) { r.reference(key, out.*member, n.*names, what, false); }, {}};
}

//! A nested mapping read with its own table.
template <class T, class S>
Field<T> mapping(const char* key, S T::*member, const Fields<S>& (*fields)(), Need need, const char* help,
                 const char* section_help) {
  ParamInfo p = info(key, ValueKind::mapping, need, help);
  const bool required = need == Need::required;
  return {p,
          [=](MapReader& r, T& out, const Names& names) {
            MapReader sub(r.context(), r.get(key, required), r.sub(key));
            if (!sub.is_map()) return;
            read_fields(sub, fields(), out.*member, names);
            sub.finish();
          },
          [=](std::vector<SectionInfo>& out, const std::string& parent) {
            const std::string path = parent.empty() ? key : parent + "." + key;
            SectionInfo s{path, section_help, {}};
            for (const auto& f : fields()) s.params.push_back(f.info);
            out.push_back(s);
            for (const auto& f : fields()) {
              if (f.describe_nested) f.describe_nested(out, path);
            }
          }};
}

//! A list of items read with their own table; `check` runs after each item's fields.
template <class T, class S>
Field<T> list(const char* key, std::vector<S> T::*member, const Fields<S>& (*fields)(), const char* first_key,
              std::size_t max_items, Need need, const char* help, const char* section_help,
              void (*check)(MapReader&, S&, const Names&) = nullptr) {
  ParamInfo p = info(key, ValueKind::list, need, help);
  p.max_items = max_items;
  const bool required = need == Need::required;
  return {p,
          [=](MapReader& r, T& out, const Names& names) {
            r.items(key, required, first_key, max_items, [&](MapReader& item) {
              S s;
              s.where = item.where();
              read_fields(item, fields(), s, names);
              if (check != nullptr) check(item, s, names);
              (out.*member).push_back(std::move(s));
            });
          },
          [=](std::vector<SectionInfo>& out, const std::string& parent) {
            const std::string path = (parent.empty() ? std::string(key) : parent + "." + key) + "[]";
            SectionInfo s{path, section_help, {}};
            for (const auto& f : fields()) s.params.push_back(f.info);
            out.push_back(s);
            for (const auto& f : fields()) {
              if (f.describe_nested) f.describe_nested(out, path);
            }
          }};
}

}  // namespace aidc::detail
