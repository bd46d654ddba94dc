#include "aidc/report/timeline.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <unordered_set>

#include "aidc/report/human_format.hpp"

namespace aidc {

namespace {

constexpr std::array<std::string_view, 12> routine_kinds = {
    "order",  "delivery", "site_started", "site_built", "interconnection_granted", "borrow",
    "refinance", "repay", "power_project", "retrofit", "retrofit_done", "secondary_purchase"};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string spaced(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c == '_') c = ' ';
  }
  return out;
}

std::string figure_in_words(std::string_view name, double v) {
  if (ends_with(name, "_h100e")) return spaced(name.substr(0, name.size() - 6)) + " " + human_h100e(v);
  if (ends_with(name, "_mw")) return spaced(name.substr(0, name.size() - 3)) + " " + human_mw(v);
  if (ends_with(name, "_usd")) return spaced(name.substr(0, name.size() - 4)) + " " + human_usd(v);
  if (name == "rate" || ends_with(name, "_share")) return spaced(name) + " " + human_percent(v);
  if (ends_with(name, "_quarters")) return spaced(name.substr(0, name.size() - 9)) + fmt::format(" {:g} quarters", v);
  if (ends_with(name, "_kw")) return spaced(name.substr(0, name.size() - 3)) + fmt::format(" {:.0f} kW", v);
  if (name == "h100e") return human_h100e(v);
  if (name == "chips") return fmt::format("{:.0f} chips", v);
  return spaced(name) + fmt::format(" {:.3g}", v);
}

std::string what_happens(const RunEvent& e) {
  static const std::map<std::string, std::string, std::less<>> words = {
      {"power_bound", "becomes power-bound"},
      {"power_unbound", "is no longer power-bound"},
      {"stranding", "has more than 5% of its compute stranded"},
      {"stranding_over", "has its stranded compute back under 5%"},
      {"price_floor", "price falls to the floor"},
      {"price_above_floor", "price rises above the floor"},
      {"distress", "is in distress"},
      {"recovery", "recovers"},
      {"default", "defaults"},
      {"fire_sale", "sells chips in a fire sale"},
      {"cancellation", "has orders cancelled"},
      {"contract_shortfall", "falls short on a contract"},
      {"power_added", "gets more power"},
      {"event_end", "a what-if event ends"},
  };
  const auto it = words.find(e.kind);
  if (it != words.end()) return it->second;
  return spaced(e.kind) + " (what-if event)";
}

std::string names_list(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < 6; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > 6) out += fmt::format(" and {} more", names.size() - 6);
  return out;
}

// Routine events of one quarter, summed.
struct Activity {
  struct Sum {
    int count = 0;
    double h100e = 0, mw = 0, usd = 0;
    std::vector<std::string> who;           // in the order they first acted
    std::unordered_set<std::string> known;  // the same names, hashed
  };
  std::map<std::string, Sum, std::less<>> by_kind;

  void add(const RunEvent& e) {
    Sum& s = by_kind[e.kind];
    ++s.count;
    s.h100e += e.figure("h100e");
    s.mw += e.figure("capacity_mw");
    if (e.kind == "order") s.usd += e.figure("chips") * e.figure("unit_price_usd");
    else s.usd += e.figure("value_usd") + e.figure("cost_usd") + e.figure("amount_usd") + e.figure("principal_usd");
    if (s.known.insert(e.entity).second) s.who.push_back(e.entity);
  }

  const Sum* get(std::string_view kind) const {
    const auto it = by_kind.find(kind);
    return it == by_kind.end() ? nullptr : &it->second;
  }

  std::string text() const {
    std::vector<std::string> parts;
    if (const Sum* s = get("order")) {
      parts.push_back(fmt::format("{} order{} {} of chips ({})", names_list(s->who), s->who.size() == 1 ? "s" : "",
                                  human_h100e(s->h100e), human_usd(s->usd)));
    }
    if (const Sum* s = get("delivery")) {
      parts.push_back(fmt::format("{} of chips delivered ({})", human_h100e(s->h100e), human_usd(s->usd)));
    }
    if (const Sum* s = get("site_started")) {
      parts.push_back(fmt::format("{} site{} started ({}, {})", s->count, s->count == 1 ? "" : "s", human_mw(s->mw),
                                  human_usd(s->usd)));
    }
    if (const Sum* s = get("site_built")) {
      parts.push_back(fmt::format("{} site{} finished ({})", s->count, s->count == 1 ? "" : "s", human_mw(s->mw)));
    }
    if (const Sum* s = get("interconnection_granted")) {
      parts.push_back(fmt::format("{} site{} connected to the grid ({})", s->count, s->count == 1 ? "" : "s",
                                  human_mw(s->mw)));
    }
    if (const Sum* s = get("power_project")) {
      parts.push_back(fmt::format("{} power project{} bought ({}, {})", s->count, s->count == 1 ? "" : "s",
                                  human_mw(s->mw), human_usd(s->usd)));
    }
    if (const Sum* s = get("retrofit")) {
      parts.push_back(fmt::format("{} retrofit{} to denser racks started", s->count, s->count == 1 ? "" : "s"));
    }
    if (const Sum* s = get("retrofit_done")) {
      parts.push_back(fmt::format("{} retrofit{} done", s->count, s->count == 1 ? "" : "s"));
    }
    if (const Sum* s = get("borrow")) {
      parts.push_back(fmt::format("{} borrow{} {}", names_list(s->who), s->who.size() == 1 ? "s" : "", human_usd(s->usd)));
    }
    if (const Sum* s = get("refinance")) {
      parts.push_back(fmt::format("{} loan{} refinanced ({})", s->count, s->count == 1 ? "" : "s", human_usd(s->usd)));
    }
    if (const Sum* s = get("repay")) {
      parts.push_back(fmt::format("{} loan{} repaid ({})", s->count, s->count == 1 ? "" : "s", human_usd(s->usd)));
    }
    if (const Sum* s = get("secondary_purchase")) {
      parts.push_back(fmt::format("{} of used chips bought", human_h100e(s->h100e)));
    }
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
    return out.empty() ? out : out + ".";
  }
};

}  // namespace

bool is_notable_event(std::string_view kind) noexcept {
  return std::find(routine_kinds.begin(), routine_kinds.end(), kind) == routine_kinds.end();
}

std::string describe_figures(const RunEvent& event) {
  std::string out;
  for (const auto& [name, value] : event.figures) {
    if (!std::isfinite(value) || value == 0.0) continue;
    out += (out.empty() ? "" : ", ") + figure_in_words(name, value);
  }
  return out;
}

std::vector<TimelineEntry> build_timeline(const RunData& run) {
  std::vector<TimelineEntry> out;
  std::size_t i = 0;
  const auto& events = run.events;
  while (i < events.size()) {
    const Quarter q = events[i].quarter;
    Activity activity;
    for (; i < events.size() && events[i].quarter == q; ++i) {
      const RunEvent& e = events[i];
      if (!is_notable_event(e.kind)) {
        activity.add(e);
        continue;
      }
      TimelineEntry t;
      t.quarter = q;
      t.notable = true;
      t.kind = e.kind;
      t.entity = e.entity;
      t.text = e.entity + " " + what_happens(e);
      if (!e.cause.empty()) t.text += ": " + e.cause;
      const std::string figures = describe_figures(e);
      if (!figures.empty()) t.text += " (" + figures + ")";
      t.text += ".";
      out.push_back(std::move(t));
    }
    const std::string summary = activity.text();
    if (!summary.empty()) out.push_back({q, false, "activity", "", summary});
  }
  return out;
}

}  // namespace aidc
