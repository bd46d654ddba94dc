#include "aidc/model/fleet.hpp"

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
  return count.size() - 1;
}

std::size_t Fleet::split(std::size_t i, double n) {
  const double share = n / count[i];
  const std::size_t j =
      add(owner[i], chip[i], delivered[i], n, unit_price_usd[i], book_life_quarters[i], economic_life_quarters[i]);
  site[j] = site[i];
  listed[j] = listed[i];
  book_value_usd[j] = book_value_usd[i] * share;
  economic_value_usd[j] = economic_value_usd[i] * share;
  book_value_usd[i] -= book_value_usd[j];
  economic_value_usd[i] -= economic_value_usd[j];
  count[i] -= n;
  return j;
}

}  // namespace aidc
