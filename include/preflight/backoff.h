// Capped exponential backoff with jitter between attempts of one check.
#pragma once

#include <random>
#include <string>

#include "preflight/duration.h"

namespace preflight {

struct BackoffPolicy {
  Millis initial{25};   // Default: 25 ms, so a dependency that comes up is seen quickly
  double multiplier = 2.0;
  Millis max{250};      // Default: 250 ms, at most ~4-8 attempts a second per check
};

// The delay after `attempts_made` (>= 1) failed attempts: initial ×
// multiplier^(n-1), capped at max, with equal jitter (half fixed, half
// random) so that many checks do not retry in lock step.
Millis backoff_delay(const BackoffPolicy& policy, int attempts_made, std::mt19937& rng);

// "25 ms doubling to 250 ms, jittered", for messages.
std::string describe(const BackoffPolicy& policy);

}  // namespace preflight
