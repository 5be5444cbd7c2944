// "retry" on a check or a phase: how a failed check is tried again. Every
// key is optional; a check's keys win over its phase's, and what neither
// writes keeps the engine's default (engine/backoff.h).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "base/duration.h"
#include "base/result.h"

namespace preflight {

struct RetrySettings {
  std::optional<Millis> interval;      // the first delay
  std::optional<Millis> max_interval;  // where growth stops
  std::optional<double> factor;        // each delay is the last × factor
  std::optional<double> jitter;        // each delay shortened by up to this fraction, at random
  std::optional<long> attempts;        // at most this many; 0: until the deadline
};

// Where a "retry" object is wrong: the key ("interval", or "" for the
// object itself) and what is wrong with it.
struct RetryProblem {
  std::string key;
  std::string what;
};

// Reads a "retry" object as written (literal values: no ${...}).
Result<RetrySettings, RetryProblem> read_retry_settings(const nlohmann::json& retry);

// `mine`, with what it leaves unset taken from `fallback`.
RetrySettings merged(const RetrySettings& mine, const RetrySettings& fallback);

}  // namespace preflight
