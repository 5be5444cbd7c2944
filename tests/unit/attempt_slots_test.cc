#include "engine/attempt_slots.h"

#include <gtest/gtest.h>

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

TEST(AttemptSlots, ThereIsAlwaysAtLeastOne) {
  EXPECT_EQ(AttemptSlots(0).capacity(), 1);
  EXPECT_GE(AttemptSlots::capacity_for_open_file_limit(), 1);
}

}  // namespace
}  // namespace preflight
