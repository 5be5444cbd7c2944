#include "engine/attempt_capacity.h"

#include <sys/resource.h>

#include <gtest/gtest.h>

#include <algorithm>

namespace preflight {
namespace {

// Each test runs in a process of its own (gtest_discover_tests), so lowering
// this process's soft limit touches no other test; it is restored anyway.
TEST(AttemptCapacity, Keeps64DescriptorsAndGivesThreeToEachAttempt) {
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  auto with_soft_limit = [&](rlim_t soft) {
    rlimit lowered = saved;
    lowered.rlim_cur = std::min(soft, saved.rlim_max);
    EXPECT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);
    return attempt_capacity_for_open_file_limit();
  };
  if (saved.rlim_max >= 1024) {
    EXPECT_EQ(with_soft_limit(1024), 320);
  }
  EXPECT_EQ(with_soft_limit(160), 32);
  EXPECT_EQ(with_soft_limit(66), 1) << "fewer descriptors than the reserve still leaves one attempt";
  setrlimit(RLIMIT_NOFILE, &saved);
}

}  // namespace
}  // namespace preflight
