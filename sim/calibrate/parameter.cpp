#include "aidc/calibrate/parameter.hpp"

#include <fmt/format.h>


#include "aidc/text/key_path.hpp"
#include "aidc/text/number.hpp"

namespace aidc {

std::vector<FitParameter> parse_fit_parameters(const std::vector<std::string>& entries) {
  Diagnostics diags;
  std::vector<FitParameter> out;
  const SourceLocation where{"--params", 0, 0};
  for (const auto& entry : entries) {
    const auto eq = assignment_split(entry);
    if (eq == std::string::npos || eq == 0) {
      diags.error(where, entry, "expected PATH=LO:HI or PATH=LO:HI:START, e.g. agents[meta].strategy.momentum=0.2:0.9");
      continue;
    }
    FitParameter p;
    p.path = entry.substr(0, eq);
    std::vector<std::string_view> parts;
    std::string_view rest(entry);
    rest.remove_prefix(eq + 1);
    for (std::size_t colon; (colon = rest.find(':')) != std::string_view::npos; rest.remove_prefix(colon + 1)) {
      parts.push_back(rest.substr(0, colon));
    }
    parts.push_back(rest);
    double values[3] = {0, 0, 0};
    bool ok = parts.size() == 2 || parts.size() == 3;
    for (std::size_t i = 0; ok && i < parts.size(); ++i) {
      const auto v = parse_number(parts[i]);
      ok = v.has_value();
      values[i] = v.value_or(0.0);
    }
    if (!ok) {
      diags.error(where, p.path, "bounds '" + entry.substr(eq + 1) + "' are not LO:HI or LO:HI:START numbers");
      continue;
    }
    p.lower = values[0];
    p.upper = values[1];
    p.start = parts.size() == 3 ? values[2] : 0.5 * (p.lower + p.upper);
    if (!(p.lower < p.upper)) {
      diags.error(where, p.path, "the lower bound must be below the upper bound");
    } else if (p.start < p.lower || p.start > p.upper) {
      diags.error(where, p.path, "the start " + fmt::format("{}", p.start) + " is outside the bounds");
    } else {
      out.push_back(p);
    }
  }
  if (entries.empty()) diags.error(where, "", "no parameters to fit; expected at least one PATH=LO:HI");
  if (diags.has_errors()) throw ScenarioError(diags.all());
  return out;
}

std::string assignment(const FitParameter& p, double v) { return p.path + "=" + fmt::format("{}", v); }

}  // namespace aidc
