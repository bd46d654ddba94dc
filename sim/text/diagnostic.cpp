#include "aidc/text/diagnostic.hpp"

#include <algorithm>
#include <numeric>
#include <utility>

namespace aidc {

std::string Diagnostic::str() const {
  std::string out = where.file;
  if (where.line > 0) {
    out.append(":").append(std::to_string(where.line)).append(":").append(std::to_string(where.column));
  }
  out += ": ";
  if (severity == Severity::warning) out += "warning: ";
  if (!key_path.empty()) out += key_path + ": ";
  out += message;
  return out;
}

void Diagnostics::error(SourceLocation where, std::string key_path, std::string message) {
  items_.push_back({Diagnostic::Severity::error, std::move(where), std::move(key_path), std::move(message)});
  ++error_count_;
}

void Diagnostics::warning(SourceLocation where, std::string key_path, std::string message) {
  items_.push_back({Diagnostic::Severity::warning, std::move(where), std::move(key_path), std::move(message)});
}

std::vector<Diagnostic> Diagnostics::warnings() const {
  std::vector<Diagnostic> out;
  std::copy_if(items_.begin(), items_.end(), std::back_inserter(out),
               [](const Diagnostic& d) { return d.severity == Diagnostic::Severity::warning; });
  return out;
}

namespace {
std::string join_messages(const std::vector<Diagnostic>& ds) {
  std::string out;
  for (const auto& d : ds) out += (out.empty() ? "" : "\n") + d.str();
  return out;
}

// Names longer than this are neither given suggestions nor suggested: the distance costs the
// product of the two lengths, and a name that long is not typed by hand.
constexpr std::size_t max_suggested_length = 64;

// Optimal-string-alignment distance (Levenshtein plus adjacent transposition), case-insensitive.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c); };
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1])) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[n][m];
}
}  // namespace

ScenarioError::ScenarioError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join_messages(diagnostics)), diagnostics_(std::move(diagnostics)) {}

std::optional<std::string> closest_name(std::string_view unknown, const std::vector<std::string>& known) {
  if (unknown.size() > max_suggested_length) return std::nullopt;
  const std::string* best = nullptr;
  std::size_t best_distance = 0;
  for (const auto& k : known) {
    if (k.size() > max_suggested_length) continue;
    // The distance is at least the difference in length: a name that cannot be closer is skipped.
    const std::size_t length_gap = k.size() > unknown.size() ? k.size() - unknown.size() : unknown.size() - k.size();
    if (best != nullptr && length_gap >= best_distance) continue;
    const std::size_t dist = edit_distance(unknown, k);
    if (best == nullptr || dist < best_distance) {
      best = &k;
      best_distance = dist;
    }
  }
  if (best == nullptr) return std::nullopt;
  const std::size_t allowed = std::max<std::size_t>(1, std::max(unknown.size(), best->size()) / 3);
  if (best_distance > allowed) return std::nullopt;
  return *best;
}

std::string suggest(std::string_view unknown, const std::vector<std::string>& known) {
  if (known.empty()) return {};
  if (const auto best = closest_name(unknown, known)) return "(did you mean '" + *best + "'?)";
  std::vector<std::string> sorted = known;
  std::sort(sorted.begin(), sorted.end());
  std::string list;
  const std::size_t shown = std::min<std::size_t>(sorted.size(), 12);
  for (std::size_t i = 0; i < shown; ++i) list += (i ? ", " : "") + sorted[i];
  if (sorted.size() > shown) list += ", … (" + std::to_string(sorted.size() - shown) + " more)";
  return "(known: " + list + ")";
}

void throw_scenario_error(SourceLocation where, std::string key_path, std::string message) {
  Diagnostics diags;
  diags.error(std::move(where), std::move(key_path), std::move(message));
  throw ScenarioError(diags.all());
}

}  // namespace aidc
