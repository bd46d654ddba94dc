#include "aidc/model/fleet.hpp"

#include <algorithm>

namespace aidc {

std::size_t Fleet::add(std::uint32_t owner_id, std::uint32_t chip_id, Quarter when, double n, double unit_price,
                       int book_life, int economic_life) {
  owner.push_back(owner_id);
  chip.push_back(chip_id);
  site.push_back(no_site);
  delivered.push_back(when);
  count.push_back(n);
  unit_price_usd.push_back(unit_price);
  book_value_usd.push_back(n * unit_price);
  economic_value_usd.push_back(n * unit_price);
  powered_count.push_back(0.0);
  book_life_quarters.push_back(book_life);
  economic_life_quarters.push_back(economic_life);
  listed.push_back(0);
  retired.push_back(0);
  const auto i = static_cast<std::uint32_t>(count.size() - 1);
  if (by_owner_.size() <= owner_id) by_owner_.resize(owner_id + 1);
  by_owner_[owner_id].push_back(i);  // the newest cohort has the largest index: still ascending
  return i;
}

const std::vector<std::uint32_t>& Fleet::owned_by(std::uint32_t owner_id) const noexcept {
  static const std::vector<std::uint32_t> none;
  return owner_id < by_owner_.size() ? by_owner_[owner_id] : none;
}

namespace {

void insert_sorted(std::vector<std::uint32_t>& v, std::uint32_t i) {
  const auto at = std::lower_bound(v.begin(), v.end(), i);
  if (at == v.end() || *at != i) v.insert(at, i);
}

void erase_sorted(std::vector<std::uint32_t>& v, std::uint32_t i) {
  const auto at = std::lower_bound(v.begin(), v.end(), i);
  if (at != v.end() && *at == i) v.erase(at);
}

}  // namespace

void Fleet::transfer(std::size_t i, std::uint32_t new_owner) {
  const auto cohort = static_cast<std::uint32_t>(i);
  erase_sorted(by_owner_[owner[i]], cohort);
  if (by_owner_.size() <= new_owner) by_owner_.resize(new_owner + 1);
  insert_sorted(by_owner_[new_owner], cohort);
  owner[i] = new_owner;
}

void Fleet::set_listed(std::size_t i, bool on_sale) {
  listed[i] = on_sale ? 1 : 0;
  if (on_sale) {
    insert_sorted(listed_index_, static_cast<std::uint32_t>(i));
  } else {
    erase_sorted(listed_index_, static_cast<std::uint32_t>(i));
  }
}

std::size_t Fleet::split(std::size_t i, double n) {
  const double share = n / count[i];
  const std::size_t j =
      add(owner[i], chip[i], delivered[i], n, unit_price_usd[i], book_life_quarters[i], economic_life_quarters[i]);
  site[j] = site[i];
  if (listed[i]) set_listed(j, true);
  book_value_usd[j] = book_value_usd[i] * share;
  economic_value_usd[j] = economic_value_usd[i] * share;
  book_value_usd[i] -= book_value_usd[j];
  economic_value_usd[i] -= economic_value_usd[j];
  count[i] -= n;
  return j;
}

}  // namespace aidc
