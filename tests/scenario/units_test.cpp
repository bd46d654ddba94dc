// parse_quantity: every dimension's accepted forms, its canonical unit, and the rejections with
// messages that say what was expected.

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <string_view>
#include <variant>

#include "aidc/scenario/units.hpp"

namespace aidc {
namespace {

// The value parse_quantity returns; fails the test (and returns NaN) when it returned an error.
double ok(std::string_view text, Dimension dim) {
  const auto r = parse_quantity(text, dim);
  if (const auto* msg = std::get_if<std::string>(&r)) {
    ADD_FAILURE() << "'" << text << "' was rejected: " << *msg;
    return std::numeric_limits<double>::quiet_NaN();
  }
  return std::get<double>(r);
}

// The error message parse_quantity returns; fails the test when it accepted the text.
std::string bad(std::string_view text, Dimension dim) {
  const auto r = parse_quantity(text, dim);
  if (const auto* v = std::get_if<double>(&r)) {
    ADD_FAILURE() << "'" << text << "' was accepted as " << *v;
    return {};
  }
  return std::get<std::string>(r);
}

// ---- accepted forms, converted to the canonical unit -------------------------------------------

TEST(ParseQuantity, PowerInEveryUnitLandsInMegawatts) {
  EXPECT_DOUBLE_EQ(ok("120 kW", Dimension::power), 0.12);
  EXPECT_DOUBLE_EQ(ok("1.2 GW", Dimension::power), 1200.0);
  EXPECT_DOUBLE_EQ(ok("350 MW", Dimension::power), 350.0);
  EXPECT_DOUBLE_EQ(ok("1500 W", Dimension::power), 0.0015);
  EXPECT_DOUBLE_EQ(ok("350", Dimension::power), 350.0);  // bare number: canonical MW
  EXPECT_DOUBLE_EQ(ok("120kW", Dimension::power), 0.12);  // no space is fine
  EXPECT_DOUBLE_EQ(ok("  350 MW  ", Dimension::power), 350.0);
  EXPECT_DOUBLE_EQ(ok("1e3 kW", Dimension::power), 1.0);
}

TEST(ParseQuantity, MoneyWithDollarAndMagnitudeSuffixes) {
  EXPECT_DOUBLE_EQ(ok("$52B", Dimension::money), 52e9);
  EXPECT_DOUBLE_EQ(ok("$25k", Dimension::money), 25e3);
  EXPECT_DOUBLE_EQ(ok("$25K", Dimension::money), 25e3);
  EXPECT_DOUBLE_EQ(ok("$1.5M", Dimension::money), 1.5e6);
  EXPECT_DOUBLE_EQ(ok("$2T", Dimension::money), 2e12);
  EXPECT_DOUBLE_EQ(ok("$0.3B", Dimension::money), 0.3e9);
  EXPECT_DOUBLE_EQ(ok("25000", Dimension::money), 25000.0);  // bare number: canonical USD
  EXPECT_DOUBLE_EQ(ok("$25000", Dimension::money), 25000.0);
}

TEST(ParseQuantity, NegativeMoneyMayPutTheSignBeforeOrAfterTheDollar) {
  // operating_cash_flow may be negative (a loss-making business); both spellings read the same.
  EXPECT_DOUBLE_EQ(ok("-$2B", Dimension::money), -2e9);
  EXPECT_DOUBLE_EQ(ok("$-2B", Dimension::money), -2e9);
  EXPECT_DOUBLE_EQ(ok("-2000", Dimension::money), -2000.0);
  bad("-$-2B", Dimension::money);
  bad("-2 MW", Dimension::money);
}

TEST(ParseQuantity, PricePerHour) {
  EXPECT_DOUBLE_EQ(ok("$2.28/h", Dimension::price_per_hour), 2.28);
  EXPECT_DOUBLE_EQ(ok("$2.28/hour", Dimension::price_per_hour), 2.28);
  EXPECT_DOUBLE_EQ(ok("2.28", Dimension::price_per_hour), 2.28);
  EXPECT_DOUBLE_EQ(ok("$2.28 /h", Dimension::price_per_hour), 2.28);
}

TEST(ParseQuantity, EnergyPriceInMwhOrKwh) {
  EXPECT_DOUBLE_EQ(ok("$45/MWh", Dimension::price_per_mwh), 45.0);
  EXPECT_DOUBLE_EQ(ok("$0.045/kWh", Dimension::price_per_mwh), 45.0);
  EXPECT_DOUBLE_EQ(ok("45", Dimension::price_per_mwh), 45.0);
}

TEST(ParseQuantity, CostPerMegawatt) {
  EXPECT_DOUBLE_EQ(ok("$11.7M/MW", Dimension::money_per_mw), 11.7e6);
  EXPECT_DOUBLE_EQ(ok("$11.7k/kW", Dimension::money_per_mw), 11.7e6);
  EXPECT_DOUBLE_EQ(ok("$11.7B/GW", Dimension::money_per_mw), 11.7e6);
  EXPECT_DOUBLE_EQ(ok("11700000", Dimension::money_per_mw), 11.7e6);
}

TEST(ParseQuantity, RateWithDollarMustSayWhatItIsPer) {
  // '$3.5B' for a cost per MW is a total typed by mistake; a bare number is the canonical unit.
  EXPECT_NE(bad("$11.7M", Dimension::money_per_mw).find("which has no '/MW'"), std::string::npos);
  EXPECT_NE(bad("$2.28", Dimension::price_per_hour).find("which has no '/h'"), std::string::npos);
  EXPECT_NE(bad("$45", Dimension::price_per_mwh).find("which has no '/MWh'"), std::string::npos);
  EXPECT_DOUBLE_EQ(ok("2.28", Dimension::price_per_hour), 2.28);
}

TEST(ParseQuantity, DurationsLandInQuarters) {
  EXPECT_DOUBLE_EQ(ok("6 years", Dimension::duration), 24.0);
  EXPECT_DOUBLE_EQ(ok("1 year", Dimension::duration), 4.0);
  EXPECT_DOUBLE_EQ(ok("18 months", Dimension::duration), 6.0);
  EXPECT_DOUBLE_EQ(ok("10 quarters", Dimension::duration), 10.0);
  EXPECT_DOUBLE_EQ(ok("1 quarter", Dimension::duration), 1.0);
  EXPECT_DOUBLE_EQ(ok("5.5 years", Dimension::duration), 22.0);
  EXPECT_DOUBLE_EQ(ok("3", Dimension::duration), 3.0);  // bare number: canonical quarters
  EXPECT_NEAR(ok("1 month", Dimension::duration), 1.0 / 3.0, 1e-12);  // the caller rejects fractions
}

TEST(ParseQuantity, FractionsFromPercentOrPlainNumbers) {
  EXPECT_DOUBLE_EQ(ok("8%", Dimension::fraction), 0.08);
  EXPECT_DOUBLE_EQ(ok("8 %", Dimension::fraction), 0.08);
  EXPECT_DOUBLE_EQ(ok("0.08", Dimension::fraction), 0.08);
  EXPECT_DOUBLE_EQ(ok("150%", Dimension::fraction), 1.5);
  EXPECT_DOUBLE_EQ(ok("-20%", Dimension::fraction), -0.2);
}

TEST(ParseQuantity, CountsWithMagnitudeSuffixes) {
  EXPECT_DOUBLE_EQ(ok("500k", Dimension::count), 500e3);
  EXPECT_DOUBLE_EQ(ok("1.2M", Dimension::count), 1.2e6);
  EXPECT_DOUBLE_EQ(ok("2B", Dimension::count), 2e9);
  EXPECT_DOUBLE_EQ(ok("1200", Dimension::count), 1200.0);
}

TEST(ParseQuantity, PlainNumbers) {
  EXPECT_DOUBLE_EQ(ok("1.5", Dimension::number), 1.5);
  EXPECT_DOUBLE_EQ(ok("989", Dimension::number), 989.0);
  EXPECT_DOUBLE_EQ(ok("-3", Dimension::number), -3.0);
  EXPECT_DOUBLE_EQ(ok("2.5e3", Dimension::number), 2500.0);
}

// ---- rejections --------------------------------------------------------------------------------

TEST(ParseQuantity, WrongDimensionIsRejected) {
  bad("3 years", Dimension::power);
  bad("350 MW", Dimension::duration);
  bad("350 MW", Dimension::money);
  bad("$45/MWh", Dimension::price_per_hour);
  bad("$2.28/h", Dimension::price_per_mwh);
  bad("8%", Dimension::count);
  bad("8%", Dimension::number);
  bad("120 kW", Dimension::fraction);
  bad("500k", Dimension::number);  // magnitude suffixes are for counts and money
  bad("500k", Dimension::power);
}

TEST(ParseQuantity, DollarOnANonMoneyValueIsRejected) {
  bad("$350 MW", Dimension::power);
  bad("$500k", Dimension::count);
  bad("$8%", Dimension::fraction);
  bad("$3", Dimension::number);
  bad("$6 years", Dimension::duration);
}

TEST(ParseQuantity, GarbageAndEmptyAreRejected) {
  for (const auto dim : {Dimension::number, Dimension::count, Dimension::fraction, Dimension::power,
                         Dimension::money, Dimension::price_per_hour, Dimension::price_per_mwh,
                         Dimension::money_per_mw, Dimension::duration}) {
    SCOPED_TRACE(std::string(canonical_unit(dim)));
    bad("", dim);
    bad("   ", dim);
    bad("abc", dim);
    bad("$", dim);
    bad("1,200", dim);
    bad("twelve", dim);
    bad("12 parsecs", dim);
  }
  bad("120 kw", Dimension::power);  // units are case-sensitive: kW
  bad("1.2 gw", Dimension::power);
  bad("6 yrs", Dimension::duration);
  bad("50k USD", Dimension::money);
  bad("2.2 M", Dimension::count);  // the suffix sits on the number
}

TEST(ParseQuantity, NotANumberAndInfinityAreRejected) {
  for (const auto dim : {Dimension::number, Dimension::power, Dimension::money, Dimension::fraction}) {
    SCOPED_TRACE(std::string(canonical_unit(dim)));
    bad("nan", dim);
    bad("NaN", dim);
    bad("inf", dim);
    bad("-inf", dim);
    bad("infinity", dim);
  }
  bad("nan MW", Dimension::power);
  bad("inf%", Dimension::fraction);
  bad("$nanB", Dimension::money);
}

TEST(ParseQuantity, NumbersBeyondADoubleAreRejectedAsTooLarge) {
  const std::string msg = bad("1e400", Dimension::number);
  EXPECT_NE(msg.find("'1e400'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("too large"), std::string::npos) << msg;
  EXPECT_NE(bad("1e400", Dimension::money).find("too large"), std::string::npos);
  // Finite as written, infinite once converted to the canonical unit.
  EXPECT_NE(bad("1e308 GW", Dimension::power).find("too large"), std::string::npos);
  EXPECT_NE(bad("$1e306T", Dimension::money).find("too large"), std::string::npos);
  EXPECT_NE(bad("-1e400", Dimension::number).find("too large"), std::string::npos);
  const std::string tiny = bad("1e-400 MW", Dimension::power);
  EXPECT_NE(tiny.find("'1e-400 MW' is too close to zero"), std::string::npos) << tiny;
}

// ---- messages ----------------------------------------------------------------------------------

TEST(ParseQuantity, MessagesNameWhatWasExpectedAndWhatWasGiven) {
  const std::string power = bad("3 years", Dimension::power);
  EXPECT_NE(power.find("expected a power"), std::string::npos) << power;
  EXPECT_NE(power.find("350 MW"), std::string::npos) << power;
  EXPECT_NE(power.find("kW"), std::string::npos) << power;
  EXPECT_NE(power.find("got '3 years'"), std::string::npos) << power;

  const std::string duration = bad("350 MW", Dimension::duration);
  EXPECT_NE(duration.find("expected a duration"), std::string::npos) << duration;
  EXPECT_NE(duration.find("years"), std::string::npos) << duration;
  EXPECT_NE(duration.find("got '350 MW'"), std::string::npos) << duration;

  EXPECT_NE(bad("lots", Dimension::money).find("$52B"), std::string::npos);
  EXPECT_NE(bad("lots", Dimension::count).find("500k"), std::string::npos);
  EXPECT_NE(bad("lots", Dimension::fraction).find("8%"), std::string::npos);
  EXPECT_NE(bad("lots", Dimension::price_per_hour).find("$2.28/h"), std::string::npos);
  EXPECT_NE(bad("lots", Dimension::price_per_mwh).find("/MWh"), std::string::npos);
  EXPECT_NE(bad("lots", Dimension::money_per_mw).find("$11.7M/MW"), std::string::npos);
  EXPECT_NE(bad("lots", Dimension::number).find("a number"), std::string::npos);
  // The given text is trimmed in the message.
  EXPECT_NE(bad("  lots  ", Dimension::number).find("got 'lots'"), std::string::npos);
}

TEST(ParseQuantity, EveryDimensionHasAUnitAndAnExampleThatParses) {
  for (const auto dim : {Dimension::number, Dimension::count, Dimension::fraction, Dimension::power,
                         Dimension::money, Dimension::price_per_hour, Dimension::price_per_mwh,
                         Dimension::money_per_mw, Dimension::duration}) {
    const std::string example(unit_example(dim));
    SCOPED_TRACE(example);
    EXPECT_FALSE(example.empty());
    ok(example, dim);
  }
  EXPECT_EQ(canonical_unit(Dimension::power), "MW");
  EXPECT_EQ(canonical_unit(Dimension::duration), "quarters");
  EXPECT_EQ(canonical_unit(Dimension::money), "USD");
  EXPECT_EQ(canonical_unit(Dimension::price_per_mwh), "USD/MWh");
  EXPECT_EQ(canonical_unit(Dimension::number), "");
}

}  // namespace
}  // namespace aidc
