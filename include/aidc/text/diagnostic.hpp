#pragma once
//! Problems found in an input file (a scenario, a sweep, targets), each with its place, and the
//! exception that carries them.

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace aidc {

//! Where a value sits in its file: 1-based line and column (0 = unknown).
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

//! One problem: `file:line:col: key.path: what is wrong; what was expected`.
struct Diagnostic {
  enum class Severity { error, warning };
  Severity severity = Severity::error;
  SourceLocation where;
  std::string key_path;  //!< e.g. "sites[2].region"; empty for file-level problems
  std::string message;

  //! The one-line form printed to users.
  [[nodiscard]] std::string str() const;
};

//! Collects every problem of one pass, so the user sees them all at once.
class Diagnostics {
 public:
  void error(SourceLocation where, std::string key_path, std::string message);
  void warning(SourceLocation where, std::string key_path, std::string message);
  [[nodiscard]] bool has_errors() const noexcept { return error_count_ > 0; }
  [[nodiscard]] std::size_t error_count() const noexcept { return error_count_; }
  [[nodiscard]] const std::vector<Diagnostic>& all() const noexcept { return items_; }
  [[nodiscard]] std::vector<Diagnostic> warnings() const;

 private:
  std::vector<Diagnostic> items_;
  std::size_t error_count_ = 0;
};

//! Thrown when a scenario (or another input file) is invalid; carries every diagnostic (errors and warnings) in file order.
class ScenarioError : public std::runtime_error {
 public:
  explicit ScenarioError(std::vector<Diagnostic> diagnostics);
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const noexcept { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

//! Throws a ScenarioError holding one error.
[[noreturn]] void throw_scenario_error(SourceLocation where, std::string key_path, std::string message);

//! The known name close enough to `unknown` to be what was meant (edit distance, with
//! transpositions, case-insensitive, at most a third of the length), or nullopt. Names longer than
//! 64 characters are not compared.
std::optional<std::string> closest_name(std::string_view unknown, const std::vector<std::string>& known);

//! "(did you mean 'us-east'?)" when a known name is close, else "(known: a, b, c)"; empty if
//! there are no known names.
std::string suggest(std::string_view unknown, const std::vector<std::string>& known);

}  // namespace aidc
