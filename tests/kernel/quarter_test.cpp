#include "aidc/kernel/quarter.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace aidc {
namespace {

TEST(Quarter, ParsePrintRoundTrip) {
  const std::optional<Quarter> q = Quarter::parse("2025Q3");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(q->year(), 2025);
  EXPECT_EQ(q->quarter_of_year(), 3);
  EXPECT_EQ(q->str(), "2025Q3");
  EXPECT_EQ(*q, Quarter(2025, 3));

  for (const std::string_view label : {"1000Q1", "1999Q4", "2025Q1", "2025Q2", "2030Q4", "9999Q4"}) {
    const std::optional<Quarter> parsed = Quarter::parse(label);
    ASSERT_TRUE(parsed.has_value()) << label;
    EXPECT_EQ(parsed->str(), label);
    EXPECT_EQ(Quarter::parse(parsed->str()), parsed) << label;
  }
}

TEST(Quarter, StrOfEveryQuarterRoundTrips) {
  for (int year = Quarter::min_year; year <= Quarter::max_year; year += 37) {
    for (int qoy = 1; qoy <= 4; ++qoy) {
      const Quarter q(year, qoy);
      const std::optional<Quarter> back = Quarter::parse(q.str());
      ASSERT_TRUE(back.has_value()) << q.str();
      EXPECT_EQ(*back, q);
    }
  }
}

TEST(Quarter, LowercaseQAccepted) {
  const std::optional<Quarter> q = Quarter::parse("2025q3");
  ASSERT_TRUE(q.has_value());
  EXPECT_EQ(*q, Quarter(2025, 3));
  EXPECT_EQ(q->str(), "2025Q3");  // printed with an upper-case Q
}

TEST(Quarter, BadStringsRejected) {
  const std::vector<std::string_view> bad = {
      "",        "2025",    "2025Q0",  "2025Q5",   "25Q1",    "2025-Q1", "2025Q12",
      " 2025Q1", "2025Q1 ", "abcdQ1",  "0999Q1",   "0000Q1",  "2025X1",  "2025QQ",
      "Q12025",  "2025Q",   "202aQ1",  "-025Q1",   "+025Q1",  "2025Q-1", "20251",
      "2025 Q1", "2025Q9",  "10000Q1", "2025Q1\n", "2025q0"};
  for (const std::string_view s : bad) {
    EXPECT_FALSE(Quarter::parse(s).has_value()) << "accepted \"" << s << "\"";
  }
  // An embedded NUL must not be treated as a terminator.
  const std::string with_nul("2025Q1\0", 7);
  EXPECT_FALSE(Quarter::parse(with_nul).has_value());
}

TEST(Quarter, ConstructorRejectsInvalid) {
  EXPECT_THROW(Quarter(2025, 0), std::out_of_range);
  EXPECT_THROW(Quarter(2025, 5), std::out_of_range);
  EXPECT_THROW(Quarter(2025, -1), std::out_of_range);
  EXPECT_THROW(Quarter(Quarter::min_year - 1, 1), std::out_of_range);
  EXPECT_THROW(Quarter(Quarter::max_year + 1, 1), std::out_of_range);
  EXPECT_THROW(Quarter(0, 1), std::out_of_range);
  EXPECT_THROW(Quarter(-2025, 1), std::out_of_range);

  EXPECT_NO_THROW(Quarter(Quarter::min_year, 1));
  EXPECT_NO_THROW(Quarter(Quarter::max_year, 4));
}

TEST(Quarter, YearAndQuarterOfYear) {
  for (int qoy = 1; qoy <= 4; ++qoy) {
    const Quarter q(2025, qoy);
    EXPECT_EQ(q.year(), 2025);
    EXPECT_EQ(q.quarter_of_year(), qoy);
    EXPECT_EQ(q.index(), 2025 * 4 + qoy - 1);
  }
  const Quarter q = Quarter::from_index(2025 * 4 + 2);
  EXPECT_EQ(q, Quarter(2025, 3));
  EXPECT_EQ(q.year(), 2025);
  EXPECT_EQ(q.quarter_of_year(), 3);
}

TEST(Quarter, Arithmetic) {
  const Quarter q(2025, 3);
  EXPECT_EQ(q + 1, Quarter(2025, 4));
  EXPECT_EQ(q + 0, q);
  EXPECT_EQ(q - 0, q);
  EXPECT_EQ(q + 4, Quarter(2026, 3));
  EXPECT_EQ(q + 10, Quarter(2028, 1));
  EXPECT_EQ(q - 1, Quarter(2025, 2));
  EXPECT_EQ(q - 3, Quarter(2024, 4));
  EXPECT_EQ(q - 8, Quarter(2023, 3));

  // Year rollover in both directions.
  EXPECT_EQ(Quarter(2025, 4) + 1, Quarter(2026, 1));
  EXPECT_EQ(Quarter(2026, 1) - 1, Quarter(2025, 4));

  // Negative offsets.
  EXPECT_EQ(q + (-1), Quarter(2025, 2));
  EXPECT_EQ(q + (-3), Quarter(2024, 4));
  EXPECT_EQ(q - (-2), Quarter(2026, 1));

  // Difference between quarters.
  EXPECT_EQ(Quarter(2026, 1) - Quarter(2025, 4), 1);
  EXPECT_EQ(Quarter(2025, 4) - Quarter(2026, 1), -1);
  EXPECT_EQ(Quarter(2030, 2) - Quarter(2025, 3), 19);
  EXPECT_EQ(Quarter(2025, 3) - Quarter(2030, 2), -19);
  EXPECT_EQ(q - q, 0);
  for (std::int32_t k = -20; k <= 20; ++k) {
    EXPECT_EQ((q + k) - q, k);
    EXPECT_EQ((q - k) + k, q);
  }

  Quarter r = q;
  r += 2;
  EXPECT_EQ(r, Quarter(2026, 1));
  r += -5;
  EXPECT_EQ(r, Quarter(2024, 4));
  ++r;
  EXPECT_EQ(r, Quarter(2025, 1));
  EXPECT_EQ((++r).str(), "2025Q2");
}

TEST(Quarter, ArithmeticIsConstexpr) {
  constexpr Quarter a = Quarter::from_index(2025 * 4 + 3);  // 2025Q4
  constexpr Quarter b = a + 1;
  static_assert(b.year() == 2026 && b.quarter_of_year() == 1);
  static_assert(b - a == 1);
  static_assert(a < b);
  EXPECT_EQ(b, Quarter(2026, 1));
}

TEST(Quarter, Comparison) {
  const Quarter a(2025, 3);
  const Quarter b(2025, 4);
  const Quarter c(2026, 1);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_LT(a, c);
  EXPECT_LE(a, a);
  EXPECT_GE(a, a);
  EXPECT_GT(c, a);
  EXPECT_NE(a, b);
  EXPECT_EQ(a, Quarter(2025, 3));
  EXPECT_FALSE(a < a);
  EXPECT_FALSE(b < a);
  EXPECT_TRUE((a <=> b) < 0);
  EXPECT_TRUE((c <=> b) > 0);
  EXPECT_TRUE((a <=> Quarter(2025, 3)) == 0);
  // Year dominates the quarter of the year.
  EXPECT_LT(Quarter(2024, 4), Quarter(2025, 1));
}

TEST(Quarter, HoursPerQuarter) { EXPECT_DOUBLE_EQ(hours_per_quarter * 4.0, 8766.0); }

}  // namespace
}  // namespace aidc
