#include "engine/backoff.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

namespace preflight {

JitterRandom jitter_random(unsigned seed) {
  // lowbias32 (Chris Wellons's hash prospector): every input bit moves every output bit.
  uint32_t x = seed;
  x ^= x >> 16;
  x *= 0x7feb352dU;
  x ^= x >> 15;
  x *= 0x846ca68bU;
  x ^= x >> 16;
  return JitterRandom(x);
}

Millis backoff_delay(const BackoffPolicy& policy, int attempts_made, JitterRandom& rng) {
  double base = static_cast<double>(policy.initial.count()) *
                std::pow(policy.multiplier, std::max(0, std::min(attempts_made - 1, 60)));
  double capped = std::min(base, static_cast<double>(policy.max.count()));
  std::uniform_real_distribution<double> cut(0.0, std::clamp(policy.jitter, 0.0, 1.0));
  return Millis(static_cast<Millis::rep>(std::llround(capped * (1.0 - cut(rng)))));
}

BackoffPolicy with_retry_settings(BackoffPolicy base, const RetrySettings& settings) {
  if (settings.interval) base.initial = *settings.interval;
  if (settings.max_interval) base.max = *settings.max_interval;
  if (settings.factor) base.multiplier = *settings.factor;
  if (settings.jitter) base.jitter = *settings.jitter;
  if (settings.attempts) base.max_attempts = *settings.attempts;
  base.max = std::max(base.max, base.initial);
  return base;
}

std::string describe(const BackoffPolicy& policy) {
  std::string out = policy.multiplier == 1 || policy.max == policy.initial
                        ? fmt::format("retry every {} ms", policy.initial.count())
                        : fmt::format("retry delays {} ms growing ×{:g} to {} ms", policy.initial.count(),
                                      policy.multiplier, policy.max.count());
  if (policy.jitter > 0) out += fmt::format(", each cut by up to {:.0f}% at random", policy.jitter * 100);
  if (policy.max_attempts > 0) out += fmt::format(", at most {} attempt{}", policy.max_attempts, policy.max_attempts == 1 ? "" : "s");
  return out;
}

}  // namespace preflight
