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
  double deposit_usd = 0.0;  //!< paid when ordered, for the chips not shipped yet
};

//! Chips shipped and on their way; they arrive after the vendor's lead time.
struct Shipment {
  std::uint32_t buyer = 0;
  std::uint32_t chip = 0;
  double count = 0.0;
  double unit_price_usd = 0.0;
  bool arrived = false;
  double prepaid_usd = 0.0;  //!< the deposit paid for these chips when ordered
};

//! One SKU's supply state at its vendor.
struct SkuSupply {
  double inventory_chips = 0.0;
  double planned_chips = 0.0;         //!< output decided last quarter for this one
  double smoothed_orders_chips = 0.0; //!< exponentially smoothed orders (weight 1/2)
  double last_orders_chips = 0.0;
  double orders_chips = 0.0;          //!< this quarter
  bool has_history = false;
  double market_factor = 1.0;         //!< its list price's answer to scarcity and rivals (moves gradually)
  double materials_chips = 0.0;       //!< materials bought ahead, in chips they make
  double carrying_share = 1.0;        //!< share of unit cost its stock is carried at (salvage once written down)
};

//! Capacity a vendor decided to add, in service from `ready`.
struct CapacityAddition {
  Quarter ready;
  double chips = 0.0;
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
  double deposits_usd = 0.0;          //!< received for chips not shipped yet (a liability)
  double deposits_applied_usd = 0.0;  //!< this quarter: deposits set against the price of chips shipped
  double cost_of_sales_usd = 0.0;
  double capacity_chips = 0.0;
  double write_down_usd = 0.0;        //!< stock of SKUs it can no longer sell, written down this quarter
  double idle_capacity_cost_usd = 0.0;  //!< fixed cost of capacity left idle (in cost of sales)
  // Capacity that follows orders (capacity_policy.lead_time > 0).
  bool capacity_started = false;      //!< capacity_start is set
  Quarter capacity_start;             //!< first quarter of the run: the series holds for a lead time from it
  double installed_capacity_chips = 0.0;
  std::vector<CapacityAddition> capacity_pipeline;  //!< decided, not yet in service, in order
  double cost_of_sales_last4[4] = {0, 0, 0, 0};   //!< ring, like shipped_last4
  int quarters_booked = 0;            //!< quarters in cost_of_sales_last4 (at most 4)

  //! Cost of sales of a year at the pace of the quarters booked (the last four at most).
  [[nodiscard]] double cost_of_sales_year_usd() const noexcept;
  // Since the start.
  double cumulative_revenue_usd = 0.0;
  //! Its own ledger, reduced to cash: starting cash + gross profit (revenue − cost of sales) −
  //! investments in customers (circular deals). It cannot invest money it does not have.
  double cash_usd = 0.0;

  [[nodiscard]] double backlog_chips() const noexcept;
  //! Average chips shipped per quarter over the last four quarters.
  [[nodiscard]] double average_shipments_chips() const noexcept;
  //! Capacity decided and not yet in service.
  [[nodiscard]] double pipeline_capacity_chips() const noexcept;
};

//! PUE of the typical new site a vendor prices against when it compares TCOs with rivals.
inline constexpr double reference_pue = 1.2;

//! Share of its vendor's capacity a SKU may use in its n-th quarter on sale (n = 0 at launch):
//! min(1, (n + 1) / ramp_quarters); 0 before launch.
double ramp_share(int quarters_on_sale, int ramp_quarters) noexcept;

//! List price (MODEL.md §3): launch price × (1 − decline_per_year)^(age / 4)
//! × (1 − inventory_discount × max(0, inventory_quarters − target_inventory)) × price_factor,
//! never below the unit cost. `inventory_quarters` is the SKU's inventory in quarters of the
//! vendor's average shipments.
double list_price_usd(double launch_price_usd, const PricePolicySpec& policy, int age_quarters,
                      double inventory_quarters, double price_factor, double unit_cost_usd) noexcept;

//! The scarcity premium on list prices: 1 + scarcity_premium × max(0, backlog_quarters −
//! target_backlog), at most 1 + max_scarcity_premium. `backlog_quarters` is the vendor's backlog
//! in quarters of its capacity.
double scarcity_factor(double backlog_quarters, const PricePolicySpec& policy) noexcept;

//! The price at which a chip's TCO per effective H100e-hour is (1 + premium) × the best rival's:
//! p = ((1 + premium) × rival_tco − running) × L × hours_per_quarter × e, where `running` is the
//! chip's running cost per H100e-hour, L its economic life in quarters and e its H100e per chip;
//! never negative.
double matching_price_usd(double rival_tco_usd_per_hour, double premium, double running_cost_usd_per_hour,
                          double effective_h100e, int economic_life_quarters) noexcept;

//! The rival answer on a list price: 1 − response × (1 − matching / price) when the price is above
//! the matching price, else 1 (a vendor cheaper than its rivals does not raise its price for them).
double rival_factor(double price_usd, double matching_price_usd, double response) noexcept;

//! Partial adjustment: current + (target − current) / max(1, quarters).
double adjust_toward(double current, double target, int quarters) noexcept;

//! Capacity a vendor decides on this quarter (capacity_policy, lead time > 0): desired =
//! (expected orders + backlog / clearance) / target utilization; the gap to installed + pipeline
//! is added (positive, at most up to `ceiling_chips` − installed − pipeline) or cut (negative, at
//! most max_cut × installed). Returns the change in chips.
double capacity_change_chips(double installed_chips, double pipeline_chips, double expected_orders_chips,
                             double backlog_chips, double ceiling_chips, const CapacityPolicySpec& policy) noexcept;

//! Materials held after this quarter's production: enough for `ahead_quarters` of the next
//! quarter's planned output, and never less than what was held and not used (materials bought
//! cannot be returned): max(ahead × planned_next, max(0, held − made)).
double materials_after_chips(double held_chips, double made_chips, double planned_next_chips,
                             int ahead_quarters) noexcept;

//! Days of inventory as chip makers report them: inventory at cost / cost of sales of the last
//! four quarters × 365 (0 without cost of sales).
double inventory_days(double inventory_at_cost_usd, double cost_of_sales_year_usd) noexcept;

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
