#include "aidc/scenario/binder.hpp"

#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace aidc {

namespace {

//! The items of one list by name (the first of a repeated name, as the loader's checks see it).
class Index {
 public:
  template <class T>
  Index(const std::vector<T>& items, const char* what) : what_(what) {
    for (std::size_t i = 0; i < items.size(); ++i) index_.emplace(items[i].name, static_cast<std::uint32_t>(i));
  }
  //! The index of `name`, or no_index.
  [[nodiscard]] std::int32_t find(const std::string& name) const {
    const auto it = index_.find(name);
    return it == index_.end() ? no_index : static_cast<std::int32_t>(it->second);
  }
  //! The index of `name`; throws std::out_of_range when there is none.
  [[nodiscard]] std::uint32_t at(const std::string& name, const std::string& where) const {
    const auto it = index_.find(name);
    if (it == index_.end()) throw std::out_of_range(where + ": unknown " + what_ + " '" + name + "'");
    return it->second;
  }

 private:
  std::string what_;
  std::unordered_map<std::string_view, std::uint32_t> index_;
};

BlocId bloc_at(const std::string& name, const std::string& where) {
  try {
    return bloc_id(name);
  } catch (const std::out_of_range&) {
    throw std::out_of_range(where + ": unknown bloc '" + name + "'");
  }
}

std::vector<std::uint32_t> indices(const Index& index, const std::vector<std::string>& names, const std::string& where) {
  std::vector<std::uint32_t> out;
  out.reserve(names.size());
  for (const auto& n : names) out.push_back(index.at(n, where));
  return out;
}

//! The event's target: what it names depends on its kind (the loader's check of events says the
//! same); when a name could be either, the first list that has it wins.
void bind_target(EventSpec& e, const Index& chips, const Index& vendors, const Index& agents, const std::string& where) {
  using TargetIs = EventSpec::TargetIs;
  std::vector<std::pair<TargetIs, const Index*>> lists;
  switch (e.kind) {
    case EventKind::export_control: lists = {{TargetIs::chip, &chips}, {TargetIs::vendor, &vendors}}; break;
    case EventKind::chip_delay: lists = {{TargetIs::chip, &chips}}; break;
    case EventKind::price_war: lists = {{TargetIs::vendor, &vendors}}; break;
    case EventKind::funding_shock: lists = {{TargetIs::agent, &agents}}; break;
    case EventKind::circular_deal: lists = {{TargetIs::vendor, &vendors}, {TargetIs::agent, &agents}}; break;
    default: break;
  }
  e.target_is = TargetIs::none;
  e.target_index = no_index;
  for (const auto& [is, list] : lists) {
    const std::int32_t i = list->find(e.target);
    if (i == no_index) continue;
    e.target_is = is;
    e.target_index = i;
    return;
  }
  if (!lists.empty()) {
    throw std::out_of_range(where + ".target: unknown target '" + e.target + "' of a " +
                            std::string(name_of(e.kind)) + " event");
  }
}

}  // namespace

void bind_references(ScenarioSpec& spec) {
  const Index chips(spec.chips, "chip"), vendors(spec.vendors, "vendor"), regions(spec.regions, "region"),
      sites(spec.sites, "site"), agents(spec.agents, "agent");
  for (auto& c : spec.chips) {
    const std::string where = "chips[" + c.name + "]";
    c.vendor_index = vendors.at(c.vendor, where + ".vendor");
    for (const auto& m : c.markets) static_cast<void>(bloc_at(m, where + ".markets"));
    c.market_mask = bloc_mask(c.markets);
  }
  for (auto& v : spec.vendors) {
    v.captive_owner_index =
        v.captive_owner.empty()
            ? no_index
            : static_cast<std::int32_t>(agents.at(v.captive_owner, "vendors[" + v.name + "].captive_owner"));
  }
  for (auto& r : spec.regions) r.bloc_index = bloc_at(r.bloc, "regions[" + r.name + "].bloc");
  for (auto& l : spec.links) {
    l.from_index = regions.at(l.from, "links[" + l.name + "].from");
    l.to_index = regions.at(l.to, "links[" + l.name + "].to");
  }
  for (auto& s : spec.sites) {
    s.owner_index = agents.at(s.owner, "sites[" + s.name + "].owner");
    s.region_index = regions.at(s.region, "sites[" + s.name + "].region");
  }
  for (auto& a : spec.agents) {
    const std::string where = "agents[" + a.name + "]";
    a.bloc_index = bloc_at(a.bloc, where + ".bloc");
    a.vendor_indices = indices(vendors, a.vendors, where + ".vendors");
    a.region_indices = indices(regions, a.regions, where + ".regions");
    for (auto& f : a.fleet) {
      f.chip_index = chips.at(f.chip, where + ".fleet.chip");
      f.site_index = sites.at(f.site, where + ".fleet.site");
    }
    for (auto& o : a.on_order) o.chip_index = chips.at(o.chip, where + ".on_order.chip");
  }
  for (std::size_t i = 0; i < spec.demand.size(); ++i) {
    spec.demand[i].bloc_index = bloc_at(spec.demand[i].bloc, "demand[" + std::to_string(i) + "].bloc");
  }
  for (auto& c : spec.contracts) {
    c.buyer_index = agents.at(c.buyer, "contracts[" + c.name + "].buyer");
    c.seller_index = agents.at(c.seller, "contracts[" + c.name + "].seller");
  }
  for (std::size_t i = 0; i < spec.events.size(); ++i) {
    EventSpec& e = spec.events[i];
    const std::string where = "events[" + std::to_string(i) + "]";
    e.bloc_index = e.bloc.empty() ? no_index : static_cast<std::int32_t>(bloc_at(e.bloc, where + ".bloc"));
    bind_target(e, chips, vendors, agents, where);
    e.recipient_index = e.recipient.empty() ? no_index
                                            : static_cast<std::int32_t>(agents.at(e.recipient, where + ".recipient"));
    e.region_index =
        e.region.empty() ? no_index : static_cast<std::int32_t>(regions.at(e.region, where + ".region"));
  }
  spec.references_bound = true;
}

}  // namespace aidc
