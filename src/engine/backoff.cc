#include "engine/backoff.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace preflight {

Millis backoff_delay(const BackoffPolicy& policy, int attempts_made, std::mt19937& rng) {
  double base = static_cast<double>(policy.initial.count()) *
                std::pow(policy.multiplier, std::max(0, std::min(attempts_made - 1, 60)));
  double capped = std::min(base, static_cast<double>(policy.max.count()));
  std::uniform_real_distribution<double> cut(0.0, std::clamp(policy.jitter, 0.0, 1.0));
  return Millis(static_cast<Millis::rep>(std::llround(capped * (1.0 - cut(rng)))));
}

std::string describe(const BackoffPolicy& policy) {
  return fmt::format("retry delays {} ms growing ×{:g} to {} ms, jittered", policy.initial.count(),
                     policy.multiplier, policy.max.count());
}

}  // namespace preflight
