#include "engine/attempt_slots.h"

#include <sys/resource.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

namespace preflight {
namespace {

using namespace std::chrono_literals;

TEST(AttemptSlots, GivesOutItsCapacityThenWaitsUntilTheDeadline) {
  AttemptSlots slots(2);
  CancelToken never;
  EXPECT_TRUE(slots.acquire(Deadline::after(std::chrono::milliseconds(10'000)), never));
  EXPECT_TRUE(slots.acquire(Deadline::after(std::chrono::milliseconds(10'000)), never));
  auto start = Clock::now();
  EXPECT_FALSE(slots.acquire(Deadline::after(std::chrono::milliseconds(100)), never));
  EXPECT_GE(Clock::now() - start, 100ms);
}

TEST(AttemptSlots, AReleasedSlotGoesToAWaiter) {
  AttemptSlots slots(1);
  CancelToken never;
  ASSERT_TRUE(slots.acquire(Deadline::after(std::chrono::milliseconds(10'000)), never));
  std::jthread releaser([&] {
    std::this_thread::sleep_for(50ms);
    slots.release();
  });
  EXPECT_TRUE(slots.acquire(Deadline::after(std::chrono::milliseconds(10'000)), never));
}

TEST(AttemptSlots, CancellationEndsTheWait) {
  AttemptSlots slots(1);
  CancelSource source;
  CancelToken token(source);
  ASSERT_TRUE(slots.acquire(Deadline::after(std::chrono::milliseconds(10'000)), token));
  std::jthread canceller([&] {
    std::this_thread::sleep_for(50ms);
    source.cancel();
  });
  auto start = Clock::now();
  EXPECT_FALSE(slots.acquire(Deadline::after(std::chrono::milliseconds(10'000)), token));
  EXPECT_LT(Clock::now() - start, 5s);
}

TEST(AttemptSlots, NoSlotOnceTheDeadlineHasPassedEvenIfOneIsFree) {
  AttemptSlots slots(1);
  EXPECT_FALSE(slots.acquire(Deadline::after(std::chrono::milliseconds(0)), CancelToken{}));
}

TEST(AttemptSlots, ThereIsAlwaysAtLeastOne) { EXPECT_EQ(AttemptSlots(0).capacity(), 1); }

// Each test runs in a process of its own (gtest_discover_tests), so lowering
// this process's soft limit touches no other test; it is restored anyway.
TEST(AttemptSlots, CapacityKeeps64DescriptorsAndGivesThreeToEachAttempt) {
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  auto with_soft_limit = [&](rlim_t soft) {
    rlimit lowered = saved;
    lowered.rlim_cur = std::min(soft, saved.rlim_max);
    EXPECT_EQ(setrlimit(RLIMIT_NOFILE, &lowered), 0);
    return AttemptSlots::capacity_for_open_file_limit();
  };
  if (saved.rlim_max >= 1024) {
    EXPECT_EQ(with_soft_limit(1024), 320);
  }
  EXPECT_EQ(with_soft_limit(160), 32);
  EXPECT_EQ(with_soft_limit(66), 1) << "fewer descriptors than the reserve still leaves one slot";
  setrlimit(RLIMIT_NOFILE, &saved);
}

}  // namespace
}  // namespace preflight
