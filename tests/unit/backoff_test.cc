#include "engine/backoff.h"

#include <gtest/gtest.h>

namespace preflight {
namespace {

TEST(Backoff, GrowsExponentiallyWithinJitterBounds) {
  BackoffPolicy p{Millis(20), 2.0, Millis(1000), 0.5};
  std::mt19937 rng(1);
  for (int attempt = 1; attempt <= 5; ++attempt) {
    long base = 20L << (attempt - 1);
    for (int i = 0; i < 50; ++i) {
      auto d = backoff_delay(p, attempt, rng).count();
      EXPECT_GE(d, base / 2) << attempt;
      EXPECT_LE(d, base) << attempt;
    }
  }
}

TEST(Backoff, IsCappedEvenAfterManyAttempts) {
  BackoffPolicy p{Millis(25), 2.0, Millis(250), 0.5};
  std::mt19937 rng(2);
  for (int attempt : {10, 100, 100000}) {
    auto d = backoff_delay(p, attempt, rng).count();
    EXPECT_GE(d, 125);
    EXPECT_LE(d, 250);
  }
}

TEST(Backoff, TheDefaultSeesADependencyQuicklyWithoutHammeringIt) {
  BackoffPolicy p;
  std::mt19937 rng(4);
  double total_ms = 0;
  for (int attempt = 1; attempt <= 200; ++attempt) {
    auto d = backoff_delay(p, attempt, rng).count();
    EXPECT_LE(d, 30) << attempt;
    if (attempt >= 3) {
      EXPECT_GE(d, 20) << "at most 50 attempts a second, attempt " << attempt;
    }
    total_ms += static_cast<double>(d);
  }
  EXPECT_LT(200 / (total_ms / 1000), 50.0) << "attempts per second over 200 attempts";
}

TEST(Backoff, JitterSpreadsDelays) {
  BackoffPolicy p{Millis(100), 2.0, Millis(100), 0.5};
  std::mt19937 rng(3);
  std::set<long> seen;
  for (int i = 0; i < 50; ++i) seen.insert(backoff_delay(p, 1, rng).count());
  EXPECT_GT(seen.size(), 10u);
}

}  // namespace
}  // namespace preflight
