#include "aidc/output/recorder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "aidc/output/timeseries_csv.hpp"

namespace aidc {
namespace {

TEST(Recorder, KeepsSamplesInOrderAndInternsEntities) {
  Recorder r;
  const Quarter q1(2025, 1), q2(2025, 2);
  r.put(q1, EntityKind::agent, "a", Metric::revenue_usd, 1.5);
  r.put(q1, EntityKind::agent, "b", Metric::revenue_usd, 2.5);
  r.put(q2, EntityKind::agent, "a", Metric::revenue_usd, 3.5);
  ASSERT_EQ(r.samples().size(), 3u);
  EXPECT_EQ(r.entity_names().size(), 2u);
  EXPECT_EQ(r.samples()[2].entity, r.samples()[0].entity);
  EXPECT_EQ(r.value(q1, EntityKind::agent, "b", Metric::revenue_usd), 2.5);
  EXPECT_EQ(r.value(q2, EntityKind::agent, "a", Metric::revenue_usd), 3.5);
  EXPECT_FALSE(r.value(q2, EntityKind::agent, "b", Metric::revenue_usd).has_value());
  EXPECT_FALSE(r.value(Quarter(2024, 4), EntityKind::agent, "a", Metric::revenue_usd).has_value());
  EXPECT_FALSE(r.value(Quarter(2026, 1), EntityKind::agent, "a", Metric::revenue_usd).has_value());
  EXPECT_FALSE(r.value(q1, EntityKind::agent, "zzz", Metric::revenue_usd).has_value());
}

TEST(TimeseriesCsv, TidyRowsWithShortestRoundTripValues) {
  Recorder r;
  r.put(Quarter(2023, 1), EntityKind::global, "world", Metric::utilization, 0.1);
  r.put(Quarter(2023, 1), EntityKind::region, "us,east", Metric::power_bound, 1.0);
  r.put(Quarter(2023, 2), EntityKind::vendor, "nv", Metric::backlog_chips, 1.0 / 3.0);
  EXPECT_EQ(format_timeseries_csv(r),
            "quarter,entity_kind,entity,metric,value\n"
            "2023Q1,global,world,utilization,0.1\n"
            "2023Q1,region,\"us,east\",power_bound,1\n"
            "2023Q2,vendor,nv,backlog_chips,0.3333333333333333\n");
}

}  // namespace
}  // namespace aidc

namespace aidc {
namespace {

TEST(Metrics, EveryMetricHasAUniqueNameWithItsUnit) {
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i < metric_count; ++i) {
    const std::string_view name = metric_name(static_cast<Metric>(i));
    EXPECT_FALSE(name.empty()) << i;
    EXPECT_NE(name, "?") << i;
    EXPECT_EQ(std::count(names.begin(), names.end(), name), 0) << name;
    names.push_back(name);
  }
  EXPECT_EQ(metric_name(Metric::capacity_chips), "capacity_chips");
}

}  // namespace
}  // namespace aidc
