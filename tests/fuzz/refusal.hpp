#pragma once
// Shared by the fuzz targets: an input that is refused must say why.

#include <algorithm>

#include "aidc/text/diagnostic.hpp"

namespace aidc::fuzz {

//! Traps (a finding) when a refusal carries no error with a message.
inline void require_a_reason(const ScenarioError& e) {
  const auto& ds = e.diagnostics();
  if (std::none_of(ds.begin(), ds.end(), [](const Diagnostic& d) {
        return d.severity == Diagnostic::Severity::error && !d.message.empty();
      })) {
    __builtin_trap();  // refused without saying why
  }
}

}  // namespace aidc::fuzz
