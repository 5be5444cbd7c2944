#include "base/text.h"

#include <gtest/gtest.h>

namespace preflight {
namespace {

TEST(Text, LowerCaseAndTrimAreAsciiOnly) {
  EXPECT_EQ(to_lower("Redis-CACHE.Internal"), "redis-cache.internal");
  EXPECT_EQ(trim(" \t value \r\n"), "value");
  EXPECT_EQ(trim("   "), "");
}

TEST(Text, JoinAtMostNamesTheFirstItemsAndCountsTheRest) {
  EXPECT_EQ(join_at_most({}, 2), "");
  EXPECT_EQ(join_at_most({"a", "b"}, 2), "a, b");
  EXPECT_EQ(join_at_most({"a", "b", "c", "d"}, 2), "a, b, … and 2 more");
}

}  // namespace
}  // namespace preflight
