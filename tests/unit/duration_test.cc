#include "base/duration.h"

#include <gtest/gtest.h>

namespace preflight {
namespace {

TEST(ParseDuration, AcceptsEveryUnitAndBareSeconds) {
  EXPECT_EQ(parse_duration("250ms"), Millis(250));
  EXPECT_EQ(parse_duration("7.5s"), Millis(7500));
  EXPECT_EQ(parse_duration("2m"), Millis(120000));
  EXPECT_EQ(parse_duration("1h"), Millis(3600000));
  EXPECT_EQ(parse_duration("3"), Millis(3000));
  EXPECT_EQ(parse_duration("0.25"), Millis(250));
  EXPECT_EQ(parse_duration("0"), Millis(0));
}

TEST(ParseDuration, RejectsMalformedNegativeAndHuge) {
  for (const char* bad : {"", "s", "5 s", "5sec", "-1s", "1e3", "abc", "1.5.2s", "nan", "inf", "25h", "5S", " 5s"}) {
    EXPECT_FALSE(parse_duration(bad)) << bad;
  }
}

TEST(FormatSeconds, UsesTwoDecimals) { EXPECT_EQ(format_seconds(Millis(7500)), "7.50 s"); }

}  // namespace
}  // namespace preflight
