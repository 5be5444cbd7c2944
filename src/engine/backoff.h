// Capped exponential backoff with jitter between attempts of one check.
#pragma once

#include <random>
#include <string>

#include "base/duration.h"
#include "config/retry_settings.h"

namespace preflight {

struct BackoffPolicy {
  // Once grown, delays are 20-30 ms: a dependency that comes up is tried
  // again ~13 ms later on average, and one check never makes more than 50
  // attempts a second (40-45 measured, counting the quick first ones).
  Millis initial{10};
  double multiplier = 2.0;
  Millis max{30};
  // Each delay is shortened by up to this fraction, at random, so that many
  // checks do not retry in lock step: 30 ms becomes 20-30 ms.
  double jitter = 1.0 / 3;
  // At most this many attempts; 0: as many as the phase timeout allows.
  long max_attempts = 0;
};

// `base` with what a check's "retry" settings write; a max shorter than the
// first delay is the first delay.
BackoffPolicy with_retry_settings(BackoffPolicy base, const RetrySettings& settings);

// Draws each delay's cut. A check keeps one between its attempts, so it is
// small: four bytes, where std::mt19937 would be five kilobytes a check.
using JitterRandom = std::minstd_rand;

// A generator for the check seeded `seed`. The seed is hashed first: an
// LCG's first draws from seeds 1, 2, 3 differ by a hundred-thousandth, and
// checks seeded one apart would retry in lock step.
JitterRandom jitter_random(unsigned seed);

// The delay after `attempts_made` (>= 1) failed attempts: initial ×
// multiplier^(n-1), capped at max, then shortened by up to `jitter` of itself.
Millis backoff_delay(const BackoffPolicy& policy, int attempts_made, JitterRandom& rng);

// "retry delays 10 ms growing ×2 to 30 ms, each cut by up to 33% at random",
// "retry every 500 ms, at most 5 attempts": the schedule, for messages.
std::string describe(const BackoffPolicy& policy);

}  // namespace preflight
