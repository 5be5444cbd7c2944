#include "engine/backoff.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "config/retry_settings.h"

namespace preflight {
namespace {

TEST(Backoff, GrowsExponentiallyWithinJitterBounds) {
  BackoffPolicy p{Millis(20), 2.0, Millis(1000), 0.5};
  JitterRandom rng(1);
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
  JitterRandom rng(2);
  for (int attempt : {10, 100, 100000}) {
    auto d = backoff_delay(p, attempt, rng).count();
    EXPECT_GE(d, 125);
    EXPECT_LE(d, 250);
  }
}

TEST(Backoff, TheDefaultSeesADependencyQuicklyWithoutHammeringIt) {
  BackoffPolicy p;
  JitterRandom rng(4);
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
  JitterRandom rng(3);
  std::set<long> seen;
  for (int i = 0; i < 50; ++i) seen.insert(backoff_delay(p, 1, rng).count());
  EXPECT_GT(seen.size(), 10u);
}

// Checks of a phase are seeded seed, seed + 1, ...: an unhashed LCG gave
// them first delays a hundred-thousandth apart, so they retried in lock step.
TEST(Backoff, ChecksSeededOneApartDrawDifferentDelays) {
  BackoffPolicy p{Millis(100), 2.0, Millis(100), 0.5};
  std::set<long> first_delays;
  for (unsigned seed = 1000; seed < 1050; ++seed) {
    JitterRandom rng = jitter_random(seed);
    first_delays.insert(backoff_delay(p, 1, rng).count());
  }
  EXPECT_GT(first_delays.size(), 25u);
}

RetrySettings read(const std::string& text) {
  auto r = read_retry_settings(nlohmann::json::parse(text));
  EXPECT_TRUE(r.ok()) << text << ": " << (r.ok() ? "" : r.error().key + ": " + r.error().what);
  return r.ok() ? *r : RetrySettings{};
}

TEST(RetrySettings, EachKeyWrittenReplacesTheDefaultAndOnlyThat) {
  const BackoffPolicy defaults;
  BackoffPolicy p = with_retry_settings(defaults, read(R"({"interval":"50ms","max_interval":2,"factor":3,"jitter":0.2,"attempts":5})"));
  EXPECT_EQ(p.initial, Millis(50));
  EXPECT_EQ(p.max, Millis(2000));
  EXPECT_EQ(p.multiplier, 3);
  EXPECT_EQ(p.jitter, 0.2);
  EXPECT_EQ(p.max_attempts, 5);
  BackoffPolicy only_factor = with_retry_settings(defaults, read(R"({"factor":1.5})"));
  EXPECT_EQ(only_factor.initial, defaults.initial);
  EXPECT_EQ(only_factor.max, defaults.max);
  EXPECT_EQ(only_factor.multiplier, 1.5);
  EXPECT_EQ(only_factor.jitter, defaults.jitter);
  EXPECT_EQ(only_factor.max_attempts, 0);
  // An interval beyond the default cap is not cut back to 30 ms.
  EXPECT_EQ(with_retry_settings(defaults, read(R"({"interval":"1s"})")).max, Millis(1000));
}

TEST(RetrySettings, ACheckKeyWinsOverItsPhasesKeyByKey) {
  RetrySettings m = merged(read(R"({"interval":"100ms"})"), read(R"({"interval":"1s","attempts":3})"));
  EXPECT_EQ(m.interval, Millis(100));
  EXPECT_EQ(m.attempts, 3);
  EXPECT_FALSE(m.factor);
}

TEST(RetrySettings, WhatIsOutOfRangeNamesTheKey) {
  const std::vector<std::pair<std::string, std::string>> rows = {
      {R"({"interval":"5ms"})", "interval"},        {R"({"interval":"soon"})", "interval"},
      {R"({"interval":-1})", "interval"},           {R"({"max_interval":"25h"})", "max_interval"},
      {R"({"factor":0.5})", "factor"},              {R"({"factor":"2"})", "factor"},
      {R"({"factor":11})", "factor"},               {R"({"jitter":1.5})", "jitter"},
      {R"({"jitter":-0.1})", "jitter"},             {R"({"attempts":-1})", "attempts"},
      {R"({"attempts":2.5})", "attempts"},          {R"({"tries":3})", "tries"},
      {R"({"interval":"2s","max_interval":"1s"})", "max_interval"}, {R"([1])", ""},
  };
  for (const auto& [text, key] : rows) {
    auto r = read_retry_settings(nlohmann::json::parse(text));
    ASSERT_FALSE(r.ok()) << text;
    EXPECT_EQ(r.error().key, key) << text << ": " << r.error().what;
  }
}

TEST(RetrySettings, TheScheduleIsDescribedAsItIsFollowed) {
  EXPECT_EQ(describe(BackoffPolicy{}), "retry delays 10 ms growing ×2 to 30 ms, each cut by up to 33% at random");
  EXPECT_EQ(describe(with_retry_settings({}, read(R"({"interval":"500ms","factor":1,"jitter":0,"attempts":1})"))),
            "retry every 500 ms, at most 1 attempt");
  EXPECT_EQ(describe(with_retry_settings({}, read(R"({"interval":"100ms","max_interval":"400ms","jitter":0.2,"attempts":5})"))),
            "retry delays 100 ms growing ×2 to 400 ms, each cut by up to 20% at random, at most 5 attempts");
}

}  // namespace
}  // namespace preflight
