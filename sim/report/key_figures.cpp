#include "aidc/report/key_figures.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "aidc/report/human_format.hpp"
#include "aidc/report/quantile.hpp"

namespace aidc {

namespace {
double at(const std::vector<double>* s, std::size_t i) {
  if (s == nullptr || i >= s->size() || !std::isfinite((*s)[i])) return 0.0;
  return (*s)[i];
}
}  // namespace

KeyFigures key_figures(const RunData& run, const KeyThresholds& thresholds) {
  KeyFigures k;
  k.thresholds = thresholds;
  const auto world = [&](Metric metric) { return run.series(EntityKind::global, "world", metric); };
  const auto* installed = world(Metric::installed_h100e);
  const auto* stranded = world(Metric::stranded_h100e);
  const auto* idle = world(Metric::idle_h100e);
  const auto* utilization = world(Metric::utilization);
  const auto* capex = world(Metric::capex_usd);
  const auto* revenue = world(Metric::revenue_usd);
  const auto* cumulative_fcf = world(Metric::cumulative_free_cash_flow_usd);
  const auto* value_gap = world(Metric::value_gap_usd);
  const std::size_t n = run.quarters.size();
  if (n > 0) {
    k.peak_idle_quarter = k.peak_stranded_quarter = run.quarters.front();
  }
  bool was_high_or_above_low = false;
  for (std::size_t i = 0; i < n; ++i) {
    const Quarter q = run.quarters[i];
    if (at(idle, i) > k.peak_idle_h100e) {
      k.peak_idle_h100e = at(idle, i);
      k.peak_idle_quarter = q;
    }
    if (at(stranded, i) > k.peak_stranded_h100e) {
      k.peak_stranded_h100e = at(stranded, i);
      k.peak_stranded_quarter = q;
    }
    if (at(installed, i) > 0 && at(stranded, i) > thresholds.stranded_share * at(installed, i)) ++k.stranded_quarters;
    k.cumulative_capex_usd += at(capex, i);
    k.cumulative_revenue_usd += at(revenue, i);
    const double u = at(utilization, i);
    if (!k.utilization_first_high && u >= thresholds.utilization_high) k.utilization_first_high = q;
    if (!k.utilization_first_low && was_high_or_above_low && u < thresholds.utilization_low) k.utilization_first_low = q;
    was_high_or_above_low = u >= thresholds.utilization_low;
  }
  if (n > 0) {
    k.cumulative_free_cash_flow_usd = at(cumulative_fcf, n - 1);
    k.final_installed_h100e = at(installed, n - 1);
    k.final_utilization = at(utilization, n - 1);
    k.final_value_gap_usd = at(value_gap, n - 1);
  }
  for (const auto& e : run.events) {
    if (e.kind == "default") ++k.defaults;
    if (e.kind == "distress") ++k.distress;
  }

  // Power-bound spells, from each region's power_bound series.
  for (const auto& region : run.entities_of(EntityKind::region)) {
    const auto* bound = run.series(EntityKind::region, region, Metric::power_bound);
    if (bound == nullptr) continue;
    const std::string bloc = run.bloc_of(EntityKind::region, region);
    const bool bloc_known = !bloc.empty() && run.series(EntityKind::bloc, bloc, Metric::stranded_h100e) != nullptr;
    const EntityKind scope_kind = bloc_known ? EntityKind::bloc : EntityKind::global;
    const std::string scope = bloc_known ? bloc : "world";
    const auto* scope_stranded = run.series(scope_kind, scope, Metric::stranded_h100e);
    const auto* scope_installed = run.series(scope_kind, scope, Metric::installed_h100e);
    for (std::size_t i = 0; i < n; ++i) {
      if (at(bound, i) <= 0.5 || (i > 0 && at(bound, i - 1) > 0.5)) continue;
      PowerBoundSpell s;
      s.region = region;
      s.bloc = bloc;
      s.start = run.quarters[i];
      s.requested_mw = at(run.series(EntityKind::region, region, Metric::power_requested_mw), i);
      s.delivered_mw = at(run.series(EntityKind::region, region, Metric::power_delivered_mw), i);
      s.available_mw = at(run.series(EntityKind::region, region, Metric::power_available_mw), i);
      s.stranded_scope = scope;
      s.stranded_h100e = at(scope_stranded, i);
      s.installed_h100e = at(scope_installed, i);
      s.peak_quarter = s.start;
      std::size_t j = i;
      for (; j < n && at(bound, j) > 0.5; ++j) {
        if (at(scope_stranded, j) > s.peak_stranded_h100e) {
          s.peak_stranded_h100e = at(scope_stranded, j);
          s.peak_quarter = run.quarters[j];
        }
      }
      if (j < n) s.end = run.quarters[j];
      k.power_bound.push_back(s);
    }
  }
  std::stable_sort(k.power_bound.begin(), k.power_bound.end(),
                   [](const PowerBoundSpell& a, const PowerBoundSpell& b) { return a.start < b.start; });
  return k;
}

std::vector<std::pair<std::string, double>> key_figure_values(const KeyFigures& k) {
  return {{"peak_idle_h100e", k.peak_idle_h100e},
          {"peak_stranded_h100e", k.peak_stranded_h100e},
          {"stranded_quarters", static_cast<double>(k.stranded_quarters)},
          {"cumulative_capex_usd", k.cumulative_capex_usd},
          {"cumulative_revenue_usd", k.cumulative_revenue_usd},
          {"cumulative_free_cash_flow_usd", k.cumulative_free_cash_flow_usd},
          {"final_installed_h100e", k.final_installed_h100e},
          {"final_utilization", k.final_utilization},
          {"final_value_gap_usd", k.final_value_gap_usd},
          {"defaults", static_cast<double>(k.defaults)},
          {"distress", static_cast<double>(k.distress)},
          {"power_bound_spells", static_cast<double>(k.power_bound.size())}};
}

std::string format_ensemble_figures_text(const RunData& run) {
  if (!run.ensemble()) return {};
  const auto figure = [&](std::string_view name) {
    const auto* values = run.seed_figure(name);
    return values == nullptr ? spread_of({}) : spread_of(*values);
  };
  const auto count = [](double v) { return std::isfinite(v) ? fmt::format("{:.3g}", v) : std::string("n/a"); };
  std::string out = fmt::format("Across the {} seeds, median [5%–95%]:\n", run.seeds.size());
  if (const auto* spells = run.seed_figure("power_bound_spells")) {
    const auto bound = std::count_if(spells->begin(), spells->end(), [](double v) { return v > 0; });
    out += fmt::format("- Some region becomes power-bound in {} of the {} seeds.\n", bound, spells->size());
  }
  out += "- Peak idle compute " + median_and_range(figure("peak_idle_h100e"), human_h100e) + "; peak stranded " +
         median_and_range(figure("peak_stranded_h100e"), human_h100e) + "; quarters with more than " + human_percent(KeyThresholds{}.stranded_share) + " stranded " +
         median_and_range(figure("stranded_quarters"), count) + ".\n";
  out += "- Cumulative capex " + median_and_range(figure("cumulative_capex_usd"), human_usd) + ", cash revenue " +
         median_and_range(figure("cumulative_revenue_usd"), human_usd) + ", free cash flow " +
         median_and_range(figure("cumulative_free_cash_flow_usd"), human_usd) + ".\n";
  out += "- At the end: installed " + median_and_range(figure("final_installed_h100e"), human_h100e) +
         ", utilization " + median_and_range(figure("final_utilization"), human_percent) + ", value gap " +
         median_and_range(figure("final_value_gap_usd"), human_usd) + "; defaults " +
         median_and_range(figure("defaults"), count) + ".\n";
  return out;
}

std::vector<PowerBoundSpell> first_power_bound_by_bloc(const KeyFigures& figures) {
  std::vector<PowerBoundSpell> out;
  for (const auto& s : figures.power_bound) {
    const std::string& scope = s.bloc.empty() ? s.region : s.bloc;
    const bool seen = std::any_of(out.begin(), out.end(), [&](const PowerBoundSpell& o) {
      return (o.bloc.empty() ? o.region : o.bloc) == scope;
    });
    if (!seen) out.push_back(s);
  }
  return out;
}

std::string power_bound_subject(const PowerBoundSpell& s) {
  return s.bloc.empty() ? "region " + s.region : "the " + s.bloc + " bloc";
}

std::string power_bound_sentence(const PowerBoundSpell& s) {
  return fmt::format("{} becomes power-bound in {}: {}", power_bound_subject(s), s.start.str(),
                     power_bound_details(s));
}

std::string power_bound_details(const PowerBoundSpell& s) {
  std::string out = fmt::format(
      "{}'s sites ask for {}, the region can deliver {}. Then {} of {} compute is stranded ({} of the {} "
      "installed)",
      s.region, human_mw(s.requested_mw), human_mw(s.delivered_mw), human_h100e(s.stranded_h100e),
      s.stranded_scope == "world" ? std::string("the world's") : "the " + s.stranded_scope + " bloc's", human_percent(s.installed_h100e > 0 ? s.stranded_h100e / s.installed_h100e : 0.0),
      human_h100e(s.installed_h100e));
  if (s.peak_stranded_h100e > s.stranded_h100e * 1.0005) {
    out += fmt::format("; the most while it lasts: {} in {}", human_h100e(s.peak_stranded_h100e), s.peak_quarter.str());
  }
  out += s.end ? fmt::format("; power-bound until {}.", (*s.end - 1).str()) : "; still power-bound at the end.";
  return out;
}

std::string format_key_moments_text(const KeyFigures& k) {
  std::string out;
  for (const auto& s : first_power_bound_by_bloc(k)) {
    std::string sentence = power_bound_sentence(s);
    sentence[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(sentence[0])));
    out += "- " + sentence + "\n";
  }
  if (k.power_bound.empty()) out += "- No region becomes power-bound.\n";
  out += fmt::format("- Peak idle compute: {} in {}; peak stranded: {} in {}; {} quarter{} with more than {} of "
                     "installed compute stranded.\n",
                     human_h100e(k.peak_idle_h100e), k.peak_idle_quarter.str(), human_h100e(k.peak_stranded_h100e),
                     k.peak_stranded_quarter.str(), k.stranded_quarters, k.stranded_quarters == 1 ? "" : "s",
                     human_percent(k.thresholds.stranded_share));
  out += fmt::format("- Cumulative capex {}, cash revenue {}, free cash flow (with the non-AI business) {}.",
                     human_usd(k.cumulative_capex_usd),
                     human_usd(k.cumulative_revenue_usd), human_usd(k.cumulative_free_cash_flow_usd));
  if (k.defaults > 0) out += fmt::format(" {} default{}.", k.defaults, k.defaults == 1 ? "" : "s");
  return out + "\n";
}

}  // namespace aidc
