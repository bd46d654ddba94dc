#pragma once
//! How vendors answer the market (MODEL.md §3, docs/model.md §3): list prices that move toward a
//! target set by scarcity (their backlog) and by rivals' TCO, capacity that follows orders with a
//! lag under a ceiling, materials bought ahead, and the write-down of stock they can no longer sell.
//! The price, capacity and materials rules are off at their parameters' defaults, leaving a vendor
//! as the series and price policy of the scenario describe it; the write-down of stock it can no
//! longer sell always applies (to `production.salvage_share`, 20% by default).

#include <vector>

#include "aidc/kernel/quarter.hpp"
#include "aidc/model/chip.hpp"
#include "aidc/model/vendor.hpp"

namespace aidc {

//! Capacity in service this quarter. With capacity_policy.lead_time 0 it is the `capacity` series;
//! else, in the run's first lead-time quarters, the series (additions decided before the start),
//! and after them decided additions whose quarter has come join the installed capacity, and what
//! is in service is the installed capacity under the series as a ceiling.
double capacity_in_service_chips(Vendor& vendor, Quarter now);

//! Decides the vendor's capacity change (capacity_change_chips) from the orders it expects next
//! quarter and its backlog: additions are in service after the lead time, cuts at once. Nothing
//! when capacity is the series.
void plan_capacity(Vendor& vendor, Quarter now, double expected_orders_chips);

//! The stock of one SKU (finished chips at their carrying share of unit cost, materials at the
//! materials share of unit cost), in dollars at cost.
double inventory_at_cost_usd(const SkuSupply& supply, double unit_cost_usd, const ProductionSpec& production) noexcept;

//! Writes a SKU's stock down to its salvage share when the vendor can no longer sell it: finished
//! chips are then carried at salvage × unit cost, and materials bought ahead for it are sold for
//! salvage (their chips leave the stock). Returns the write-down in dollars; the salvage paid for
//! the materials is added to `salvage_cash_usd`. Nothing happens to stock already written down.
double write_down_unsellable(SkuSupply& supply, double unit_cost_usd, const ProductionSpec& production,
                             double& salvage_cash_usd) noexcept;

//! Sets each vendor SKU's market factor one step toward its target: scarcity_factor of the
//! vendor's backlog in quarters of its capacity × rival_factor against the price that would match
//! the lowest TCO among rivals' SKUs (other vendors without a captive owner, orderable now, sold
//! in a bloc it is sold in) at their list prices, with the mean power price of the blocs it is
//! sold in and reference_pue. `base_price_usd[c]` is SKU c's list price before its market factor,
//! `price_usd[c]` with it; `power_price_by_bloc` is indexed by BlocId (NaN: no region there).
void answer_market(std::vector<Vendor>& vendors, std::vector<SkuSupply>& supply, const std::vector<Chip>& chips,
                   const std::vector<double>& base_price_usd, const std::vector<double>& price_usd,
                   const std::vector<double>& power_price_by_bloc, Quarter now);

}  // namespace aidc
