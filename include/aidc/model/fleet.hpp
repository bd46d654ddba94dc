#pragma once
//! The installed chips: cohorts of identical chips stored field by field (hot data as arrays).

#include <cstdint>
#include <vector>

#include "aidc/kernel/quarter.hpp"

namespace aidc {

//! Site index meaning "delivered but not placed in any site" (stranded without space).
inline constexpr std::int32_t no_site = -1;

//! All chip cohorts of a run. A cohort is `count` chips of one SKU owned by one agent, delivered
//! in one quarter, sitting in one site (or none). Values are totals for the cohort, in USD.
//! Retired cohorts stay (count moved to retired_count) so indices remain stable.
class Fleet {
 public:
  //! Adds a cohort; returns its index.
  std::size_t add(std::uint32_t owner, std::uint32_t chip, Quarter delivered, double count,
                  double unit_price_usd, int book_life_quarters, int economic_life_quarters);
  //! Moves `n` chips (0 < n < count) of cohort i into a new cohort (values split pro rata);
  //! returns the new index.
  std::size_t split(std::size_t i, double n);
  [[nodiscard]] std::size_t size() const noexcept { return count.size(); }
  //! The cohorts `owner_id` owns (or owned when they retired), ascending: per-agent loops cost
  //! the agent's cohorts, not the whole fleet.
  [[nodiscard]] const std::vector<std::uint32_t>& owned_by(std::uint32_t owner_id) const noexcept;
  //! Hands cohort i to a new owner.
  void transfer(std::size_t i, std::uint32_t new_owner);
  //! The cohorts offered on the secondary market, ascending.
  [[nodiscard]] const std::vector<std::uint32_t>& listed_cohorts() const noexcept { return listed_index_; }
  //! Offers cohort i on the secondary market (true) or takes it off (false).
  void set_listed(std::size_t i, bool on_sale);

  // Fields, one entry per cohort. `owner` and `listed` change only through transfer() and
  // set_listed(), which keep the indexes above.

  std::vector<std::uint32_t> owner;
  std::vector<std::uint32_t> chip;
  std::vector<std::int32_t> site;      //!< site index or no_site
  std::vector<Quarter> delivered;
  std::vector<double> count;           //!< chips in service
  std::vector<double> unit_price_usd;
  std::vector<double> book_value_usd;      //!< cost less book depreciation and impairment
  std::vector<double> economic_value_usd;  //!< cost less economic depreciation
  std::vector<double> powered_count;       //!< chips energized this quarter
  std::vector<int> book_life_quarters;     //!< over which the owner depreciates its cost in its books
  std::vector<int> economic_life_quarters; //!< over which its cost loses economic value (left at purchase)
  std::vector<std::uint8_t> listed;        //!< offered on the secondary market
  std::vector<std::uint8_t> retired;

 private:
  std::vector<std::vector<std::uint32_t>> by_owner_;
  std::vector<std::uint32_t> listed_index_;
};

}  // namespace aidc
