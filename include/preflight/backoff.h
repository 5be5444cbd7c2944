// Capped exponential backoff with jitter between attempts of one check.
#pragma once

#include <random>
#include <string>

#include "preflight/duration.h"

namespace preflight {

struct BackoffPolicy {
  // A dependency that comes up is seen within ~20 ms on average (a 40 ms
  // cap with equal jitter waits 20-40 ms), while one check never makes more
  // than 50 attempts a second once the delays have grown (about 33 on average).
  Millis initial{10};
  double multiplier = 2.0;
  Millis max{40};
};

// The delay after `attempts_made` (>= 1) failed attempts: initial ×
// multiplier^(n-1), capped at max, with equal jitter (half fixed, half
// random) so that many checks do not retry in lock step.
Millis backoff_delay(const BackoffPolicy& policy, int attempts_made, std::mt19937& rng);

// "retry delays 10 ms growing ×2 to 40 ms, jittered", for messages.
std::string describe(const BackoffPolicy& policy);

}  // namespace preflight
