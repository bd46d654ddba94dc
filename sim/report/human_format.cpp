#include "aidc/report/human_format.hpp"

#include <fmt/format.h>

#include <cmath>

namespace aidc {

namespace {
// Three significant digits at most, trailing zeros kept off: 2.31, 41.2, 340.
std::string three_digits(double v) {
  if (std::fabs(v) >= 999.5) return fmt::format("{:.0f}", v);
  return fmt::format("{:.3g}", v);
}
}  // namespace

std::string human_h100e(double h100e) {
  if (!std::isfinite(h100e)) return "n/a";
  const double a = std::fabs(h100e);
  if (a >= 1e6) return three_digits(h100e / 1e6) + " M H100e";
  if (a >= 1e3) return fmt::format("{:.0f} k H100e", h100e / 1e3);
  return fmt::format("{:.0f} H100e", h100e);
}

std::string human_usd(double usd) {
  if (!std::isfinite(usd)) return "n/a";
  const std::string sign = usd < 0 ? "-" : "";
  const double a = std::fabs(usd);
  if (a >= 1e12) return sign + "$" + three_digits(a / 1e12) + "T";
  if (a >= 1e9) return sign + "$" + three_digits(a / 1e9) + "B";
  if (a >= 1e6) return sign + "$" + three_digits(a / 1e6) + "M";
  const auto whole = static_cast<long long>(std::llround(a));
  std::string digits = std::to_string(whole);
  for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(static_cast<std::size_t>(i), ",");
  return sign + "$" + digits;
}

std::string human_mw(double mw) {
  if (!std::isfinite(mw)) return "n/a";
  if (std::fabs(mw) >= 1000) return three_digits(mw / 1000) + " GW";
  return fmt::format("{:.0f} MW", mw);
}

std::string human_percent(double fraction) {
  if (!std::isfinite(fraction)) return "n/a";
  const double p = 100.0 * fraction;
  if (std::fabs(p) < 1.0 && p != 0.0) return fmt::format("{:.1f}%", p);
  return fmt::format("{:.0f}%", p);
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace aidc
