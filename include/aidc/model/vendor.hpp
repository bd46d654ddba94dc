#pragma once
//! Chip vendors (MODEL.md §3): per-SKU output planned from backlog and an order forecast, an
//! inventory that balloons when orders fall (the bullwhip), list prices that fall with age and
//! inventory, captive owners served first, pro-rata allocation when short.

#include <cstdint>
#include <vector>

#include "aidc/kernel/quarter.hpp"
#include "aidc/scenario/spec.hpp"

namespace aidc {

//! Chips ordered and not yet shipped, at the list price of the quarter they were ordered in.
struct BacklogEntry {
  std::uint32_t buyer = 0;
  std::uint32_t chip = 0;
  double count = 0.0;
  double unit_price_usd = 0.0;
};

//! Chips shipped and on their way; they arrive after the vendor's lead time.
struct Shipment {
  std::uint32_t buyer = 0;
  std::uint32_t chip = 0;
  double count = 0.0;
  double unit_price_usd = 0.0;
  bool arrived = false;
};

//! One SKU's supply state at its vendor.
struct SkuSupply {
  double inventory_chips = 0.0;
  double planned_chips = 0.0;         //!< output decided last quarter for this one
  double smoothed_orders_chips = 0.0; //!< exponentially smoothed orders (weight 1/2)
  double last_orders_chips = 0.0;
  double orders_chips = 0.0;          //!< this quarter
  bool has_history = false;
};

//! A vendor's state.
struct Vendor {
  const VendorSpec* spec = nullptr;
  std::int32_t captive_owner = -1;    //!< agent index, or -1
  double price_factor = 1.0;          //!< price wars multiply list prices by this
  std::vector<BacklogEntry> backlog;
  std::vector<std::uint32_t> chips;   //!< its SKUs (chip indices)
  double shipped_last4[4] = {0, 0, 0, 0};  //!< chips shipped in the last four quarters (ring)
  // Per-quarter flows.
  double orders_chips = 0.0;
  double orders_h100e = 0.0;
  double shipped_chips = 0.0;
  double cancelled_chips = 0.0;
  double revenue_usd = 0.0;
  double cost_of_sales_usd = 0.0;
  double capacity_chips = 0.0;
  // Since the start.
  double cumulative_revenue_usd = 0.0;
  //! Its own ledger, reduced to cash: starting cash + gross profit (revenue − cost of sales) −
  //! investments in customers (circular deals). It cannot invest money it does not have.
  double cash_usd = 0.0;

  [[nodiscard]] double backlog_chips() const noexcept;
  //! Average chips shipped per quarter over the last four quarters.
  [[nodiscard]] double average_shipments_chips() const noexcept;
};

//! Share of its vendor's capacity a SKU may use in its n-th quarter on sale (n = 0 at launch):
//! min(1, (n + 1) / ramp_quarters); 0 before launch.
double ramp_share(int quarters_on_sale, int ramp_quarters) noexcept;

//! List price (MODEL.md §3): launch price × (1 − decline_per_year)^(age / 4)
//! × (1 − inventory_discount × max(0, inventory_quarters − target_inventory)) × price_factor,
//! never below the unit cost. `inventory_quarters` is the SKU's inventory in quarters of the
//! vendor's average shipments.
double list_price_usd(double launch_price_usd, const PricePolicySpec& policy, int age_quarters,
                      double inventory_quarters, double price_factor, double unit_cost_usd) noexcept;

//! Orders the vendor expects next quarter: smoothed × (1 + momentum × growth), growth = last
//! quarter's orders over the one before − 1 (clamped to [−0.9, 2]); never negative.
double forecast_orders_chips(const SkuSupply& s, double momentum) noexcept;

//! Output to plan for next quarter: backlog + forecast × (1 + target_inventory_quarters) −
//! inventory, at least 0. Capacity is applied when it is produced.
double planned_output_chips(double backlog_chips, double forecast_chips, int target_inventory_quarters,
                            double inventory_chips) noexcept;

//! Serves `available` chips to backlog entries (indices in `entries`, all of one SKU): entries of
//! `priority_buyer` (a captive owner; -1 for none) first, in full as far as it goes, then the
//! others pro rata to their counts. Served counts are added to `served` (indexed like the
//! backlog) and subtracted from the entries. Returns the chips served.
double serve_backlog(std::vector<BacklogEntry>& backlog, const std::vector<std::size_t>& entries, double available,
                     std::int32_t priority_buyer, std::vector<double>& served);

}  // namespace aidc
