// Power (MODEL.md §4–5): chips without a site go to one; the grid (a max-flow over regions and
// links) decides each region's delivered power; sites share it pro rata to request; chips are
// powered in proportion to their site's share. What is not powered is stranded.

#include <algorithm>

#include "aidc/model/world.hpp"
#include "world_util.hpp"

namespace aidc {

void World::schedule_interconnection(std::uint32_t site, Quarter when) {
  power_.sites[site].interconnection_due = std::max(when, now_ + 1);
  power_.sites[site].interconnection = sim_->schedule(power_.sites[site].interconnection_due, Phase::arrivals,
                                                on_site_interconnected_, site);
}

void World::utilities_respond() {
  // Utilities answer large-load requests they cannot serve with new generation, after a lead time.
  for (std::uint32_t r = 0; r < power_.regions.size(); ++r) {
    Region& region = power_.regions[r];
    if (region.spec->utility_response <= 0.0) continue;
    const double mw = utility_commitment_mw(region.sites_draw_mw, region.available_mw, region.utility_pending_mw,
                                            region.spec->utility_response);
    if (mw < 1.0) continue;  // less than a megawatt: not a project
    region.utility_pending_mw += mw;
    power_.utility_additions.push_back({r, mw});
    const int lead = std::max(1, region.spec->utility_lead_quarters);
    sim_->schedule(now_ + lead, Phase::arrivals, on_utility_addition_, power_.utility_additions.size() - 1);
    log(EntityKind::region, region.spec->name, "utility_commitment",
        "large-load requests exceed the power it has and has coming",
        {{"capacity_mw", mw}, {"requests_mw", region.sites_draw_mw}, {"available_mw", region.available_mw},
         {"online_in_quarters", lead}});
  }
}

void World::place_cohort(std::size_t i) {
  const Chip& chip = supply_.chips[fleet_.chip[i]];
  const double mw_per_chip = chip.spec->power_kw / 1000.0;
  // Energized sites first, then built ones waiting for the grid; creation order within each.
  for (const bool want_energized : {true, false}) {
    for (const std::uint32_t s : agent_sites_[fleet_.owner[i]]) {
      Site& site = power_.sites[s];
      if (!site.built || site.has_power() != want_energized || site.rack_kw < chip.spec->rack_kw) continue;
      const double fits = site.free_mw() / mw_per_chip;
      if (fits >= fleet_.count[i]) {
        fleet_.site[i] = static_cast<std::int32_t>(s);
        site.used_mw += fleet_.count[i] * mw_per_chip;
        return;
      }
      if (fits > tiny_chips) {
        const std::size_t j = fleet_.split(i, fits);
        fleet_.site[j] = static_cast<std::int32_t>(s);
        site.used_mw = site.capacity_mw;
      }
    }
  }
}

void World::place_and_power() {
  // 1. Chips delivered (or bought used) without a site go to a built site of their owner with
  //    room and the density they need. Listed chips wait for a buyer where they are.
  const std::size_t cohorts = fleet_.size();
  for (std::size_t i = 0; i < cohorts; ++i) {
    if (!fleet_.retired[i] && fleet_.site[i] == no_site && !agents_[fleet_.owner[i]].defaulted) place_cohort(i);
  }
  // 2. Requests: every energized site not down for a retrofit asks for its IT load × PUE.
  power_.headroom_scratch.assign(power_.regions.size(), 0.0);
  power_.request_scratch.assign(power_.regions.size(), 0.0);
  for (std::uint32_t r = 0; r < power_.regions.size(); ++r) {
    power_.regions[r].available_mw = power_.regions[r].datacenter_power_mw(now_);
    power_.headroom_scratch[r] = power_.regions[r].available_mw;
  }
  // A site's bridge (behind-the-meter) power serves it first; the grid is asked for the rest.
  for (auto& s : power_.sites) {
    s.requested_mw = s.built && !s.retrofitting(now_) ? s.used_mw * s.pue : 0.0;
    s.bridge_delivered_mw = std::min(s.requested_mw, s.bridge_mw);
    s.delivered_mw = s.bridge_delivered_mw;
    if (s.energized() && s.requested_mw > s.bridge_delivered_mw) {
      power_.request_scratch[s.region] += s.requested_mw - s.bridge_delivered_mw;
    }
  }
  // 3. The grid: max-flow from each region's headroom through the links to the requests, shared
  //    max-min fairly in proportion to request (see grid.hpp).
  power_.last_flow = power_.grid.solve(power_.headroom_scratch, power_.request_scratch);
  const GridFlow& flow = power_.last_flow;
  for (std::uint32_t r = 0; r < power_.regions.size(); ++r) {
    Region& region = power_.regions[r];
    region.requested_mw = power_.request_scratch[r];
    region.delivered_mw = flow.delivered_mw[r];
    region.imported_mw = flow.imported_mw[r];
    const bool was_bound = region.power_bound;
    region.power_bound = region.requested_mw > region.delivered_mw * (1.0 + 1e-9) + 1e-6;
    if (region.power_bound && !was_bound) {
      log(EntityKind::region, region.spec->name, "power_bound",
          "sites ask for more power than the region and its links can deliver",
          {{"requested_mw", region.requested_mw}, {"delivered_mw", region.delivered_mw},
           {"available_mw", region.available_mw}, {"imported_mw", region.imported_mw}});
    } else if (!region.power_bound && was_bound) {
      log(EntityKind::region, region.spec->name, "power_unbound", "requests fit again",
          {{"requested_mw", region.requested_mw}, {"available_mw", region.available_mw}});
    }
  }
  // 4. Sites in a region share its delivered power pro rata to request.
  for (auto& s : power_.sites) {
    const double from_grid = s.requested_mw - s.bridge_delivered_mw;
    if (!s.energized() || from_grid <= 0.0) continue;
    const Region& region = power_.regions[s.region];
    s.delivered_mw += region.requested_mw > 0.0 ? from_grid * (region.delivered_mw / region.requested_mw) : 0.0;
  }
  // 5. Chips are powered in proportion to the power their site received.
  std::vector<double> unsited(agents_.size(), 0.0), waiting(agents_.size(), 0.0), short_power(agents_.size(), 0.0),
      installed(agents_.size(), 0.0);
  for (std::size_t i = 0; i < fleet_.size(); ++i) {
    fleet_.powered_count[i] = 0.0;
    if (fleet_.retired[i]) continue;
    const double h100e = fleet_.count[i] * supply_.chips[fleet_.chip[i]].effective_h100e;
    const std::uint32_t a = fleet_.owner[i];
    installed[a] += h100e;
    if (fleet_.site[i] == no_site) {
      unsited[a] += h100e;
      continue;
    }
    const Site& s = power_.sites[static_cast<std::size_t>(fleet_.site[i])];
    if (!s.has_power() || s.requested_mw <= 0.0) {
      waiting[a] += h100e;
      continue;
    }
    const double share = s.delivered_mw / s.requested_mw;
    fleet_.powered_count[i] = fleet_.count[i] * share;
    short_power[a] += h100e * (1.0 - share);
  }
  utilities_respond();
  // Log when an agent starts (or stops) stranding more than 5% of its compute, and why.
  for (std::uint32_t a = 0; a < agents_.size(); ++a) {
    const double stranded = unsited[a] + waiting[a] + short_power[a];
    const bool stranding = installed[a] > 0.0 && stranded > 0.05 * installed[a];
    if (stranding != static_cast<bool>(was_stranding_[a])) {
      log(EntityKind::agent, agents_[a].spec->name, stranding ? "stranding" : "stranding_over",
          stranding ? "delivered chips cannot all be powered" : "its chips are powered again",
          {{"stranded_h100e", stranded}, {"no_site_h100e", unsited[a]}, {"waiting_for_grid_h100e", waiting[a]},
           {"power_short_h100e", short_power[a]}, {"installed_h100e", installed[a]}});
      was_stranding_[a] = stranding ? 1 : 0;
    }
  }
}

}  // namespace aidc
