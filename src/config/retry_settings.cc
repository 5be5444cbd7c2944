#include "config/retry_settings.h"

#include <cmath>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace preflight {
namespace {

using json = nlohmann::json;

// Below this a check would try more than 100 times a second: a server
// coming up is hammered, not waited for.
constexpr Millis kMinInterval{10};
constexpr double kMaxFactor = 10;
constexpr long kMaxAttempts = 1'000'000;

// A duration written "50ms", "2s", or a number of seconds.
std::optional<Millis> duration_of(const json& value) {
  if (value.is_number() && value.get<double>() >= 0) return parse_duration(fmt::format("{}", value.get<double>()));
  if (value.is_string()) return parse_duration(value.get<std::string>());
  return std::nullopt;
}

Unexpected<RetryProblem> problem(std::string key, std::string what) {
  return Unexpected<RetryProblem>{RetryProblem{std::move(key), std::move(what)}};
}

}  // namespace

Result<RetrySettings, RetryProblem> read_retry_settings(const json& retry) {
  if (!retry.is_object()) return problem("", fmt::format("expected an object such as {{\"interval\": \"50ms\"}}, got {}", retry.dump()));
  RetrySettings out;
  for (const auto& [key, value] : retry.items()) {
    if (key == "interval" || key == "max_interval") {
      auto d = duration_of(value);
      if (!d || *d < kMinInterval) {
        return problem(key, fmt::format("expected a duration of at least {} ms such as \"50ms\" or \"2s\", got {}",
                                        kMinInterval.count(), value.dump()));
      }
      (key == "interval" ? out.interval : out.max_interval) = *d;
    } else if (key == "factor") {
      if (!value.is_number() || value.get<double>() < 1 || value.get<double>() > kMaxFactor) {
        return problem(key, fmt::format("expected a number from 1 (the same delay each time) to {:g}, got {}", kMaxFactor,
                                        value.dump()));
      }
      out.factor = value.get<double>();
    } else if (key == "jitter") {
      if (!value.is_number() || !(value.get<double>() >= 0 && value.get<double>() <= 1)) {
        return problem(key, fmt::format("expected a fraction from 0 (none) to 1, got {}", value.dump()));
      }
      out.jitter = value.get<double>();
    } else if (key == "attempts") {
      if (!value.is_number_integer() || value.get<long long>() < 0 || value.get<long long>() > kMaxAttempts) {
        return problem(key, fmt::format("expected a whole number of attempts, 0 for as many as the phase timeout allows, "
                                        "got {}", value.dump()));
      }
      out.attempts = static_cast<long>(value.get<long long>());
    } else {
      return problem(key, "unknown key (allowed: interval, max_interval, factor, jitter, attempts)");
    }
  }
  if (out.interval && out.max_interval && *out.max_interval < *out.interval) {
    return problem("max_interval", fmt::format("{} ms is shorter than the interval, {} ms", out.max_interval->count(),
                                               out.interval->count()));
  }
  return out;
}

RetrySettings merged(const RetrySettings& mine, const RetrySettings& fallback) {
  return {.interval = mine.interval ? mine.interval : fallback.interval,
          .max_interval = mine.max_interval ? mine.max_interval : fallback.max_interval,
          .factor = mine.factor ? mine.factor : fallback.factor,
          .jitter = mine.jitter ? mine.jitter : fallback.jitter,
          .attempts = mine.attempts ? mine.attempts : fallback.attempts};
}

}  // namespace preflight
