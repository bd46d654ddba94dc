// Fleet cohorts: adding and splitting conserve chips and their values.

#include "aidc/model/fleet.hpp"

#include <gtest/gtest.h>

#include <numeric>

namespace aidc {
namespace {

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

TEST(Fleet, AddRecordsACohortAtCost) {
  Fleet f;
  EXPECT_EQ(f.size(), 0U);
  const std::size_t i = f.add(2, 5, Quarter(2024, 3), 100.0, 25000.0, 24, 12);
  EXPECT_EQ(i, 0U);
  EXPECT_EQ(f.size(), 1U);
  EXPECT_EQ(f.owner[i], 2U);
  EXPECT_EQ(f.chip[i], 5U);
  EXPECT_EQ(f.site[i], no_site);
  EXPECT_EQ(f.delivered[i], Quarter(2024, 3));
  EXPECT_EQ(f.count[i], 100.0);
  EXPECT_EQ(f.unit_price_usd[i], 25000.0);
  EXPECT_EQ(f.book_value_usd[i], 2.5e6);
  EXPECT_EQ(f.economic_value_usd[i], 2.5e6);
  EXPECT_EQ(f.powered_count[i], 0.0);
  EXPECT_EQ(f.retired[i], 0);
  EXPECT_EQ(f.add(0, 0, Quarter(2024, 4), 1.0, 1.0, 24, 12), 1U);
  EXPECT_EQ(f.size(), 2U);
}

TEST(Fleet, AllColumnsHaveOneEntryPerCohort) {
  Fleet f;
  f.add(0, 0, Quarter(2024, 1), 10.0, 1.0, 24, 12);
  f.add(1, 1, Quarter(2024, 2), 20.0, 2.0, 24, 12);
  f.split(1, 5.0);
  const std::size_t n = f.size();
  EXPECT_EQ(n, 3U);
  EXPECT_EQ(f.owner.size(), n);
  EXPECT_EQ(f.chip.size(), n);
  EXPECT_EQ(f.site.size(), n);
  EXPECT_EQ(f.delivered.size(), n);
  EXPECT_EQ(f.unit_price_usd.size(), n);
  EXPECT_EQ(f.book_value_usd.size(), n);
  EXPECT_EQ(f.economic_value_usd.size(), n);
  EXPECT_EQ(f.powered_count.size(), n);
  EXPECT_EQ(f.retired.size(), n);
}

TEST(Fleet, SplitConservesCountAndValues) {
  Fleet f;
  f.add(0, 0, Quarter(2024, 1), 7.0, 3.0, 24, 12);  // a small cohort, to be left alone
  const std::size_t i = f.add(3, 1, Quarter(2024, 2), 100.0, 20000.0, 24, 12);
  f.site[i] = 4;
  // Depreciated unevenly: book and economic values differ from cost and from each other.
  f.book_value_usd[i] = 1.6e6;
  f.economic_value_usd[i] = 1.0e6;
  const double count_before = sum(f.count), book_before = sum(f.book_value_usd), econ_before = sum(f.economic_value_usd);

  const std::size_t j = f.split(i, 30.0);
  EXPECT_EQ(j, 2U);
  EXPECT_DOUBLE_EQ(f.count[i], 70.0);
  EXPECT_DOUBLE_EQ(f.count[j], 30.0);
  EXPECT_DOUBLE_EQ(f.book_value_usd[j], 1.6e6 * 0.3);
  EXPECT_DOUBLE_EQ(f.book_value_usd[i], 1.6e6 * 0.7);
  EXPECT_DOUBLE_EQ(f.economic_value_usd[j], 1.0e6 * 0.3);
  EXPECT_DOUBLE_EQ(f.economic_value_usd[i], 1.0e6 * 0.7);
  // The new cohort is the same chips: owner, SKU, delivery quarter, price and site.
  EXPECT_EQ(f.owner[j], 3U);
  EXPECT_EQ(f.chip[j], 1U);
  EXPECT_EQ(f.delivered[j], Quarter(2024, 2));
  EXPECT_EQ(f.unit_price_usd[j], 20000.0);
  EXPECT_EQ(f.site[j], 4);
  EXPECT_EQ(f.retired[j], 0);

  EXPECT_DOUBLE_EQ(sum(f.count), count_before);
  EXPECT_DOUBLE_EQ(sum(f.book_value_usd), book_before);
  EXPECT_DOUBLE_EQ(sum(f.economic_value_usd), econ_before);
  // The untouched cohort is untouched.
  EXPECT_EQ(f.count[0], 7.0);
  EXPECT_EQ(f.book_value_usd[0], 21.0);
}

TEST(Fleet, RepeatedFractionalSplitsConserveTotals) {
  Fleet f;
  f.add(0, 0, Quarter(2024, 1), 1000.0, 12345.678, 24, 12);
  f.book_value_usd[0] = 9.87654321e6;
  f.economic_value_usd[0] = 3.3e6;
  const double count_before = sum(f.count), book_before = sum(f.book_value_usd), econ_before = sum(f.economic_value_usd);
  for (int k = 0; k < 20; ++k) f.split(static_cast<std::size_t>(k) % f.size(), f.count[static_cast<std::size_t>(k) % f.size()] / 3.7);
  EXPECT_EQ(f.size(), 21U);
  EXPECT_NEAR(sum(f.count), count_before, 1e-9 * count_before);
  EXPECT_NEAR(sum(f.book_value_usd), book_before, 1e-9 * book_before);
  EXPECT_NEAR(sum(f.economic_value_usd), econ_before, 1e-9 * econ_before);
  // Each cohort keeps the same value per chip.
  for (std::size_t i = 0; i < f.size(); ++i) {
    EXPECT_NEAR(f.book_value_usd[i] / f.count[i], book_before / count_before, 1e-9 * book_before / count_before);
    EXPECT_NEAR(f.economic_value_usd[i] / f.count[i], econ_before / count_before, 1e-9 * econ_before / count_before);
  }
}

}  // namespace
}  // namespace aidc
