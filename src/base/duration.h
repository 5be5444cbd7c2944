// Durations as users write them: "250ms", "7.5s", "2m", "1h" or a bare
// number of seconds.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace preflight {

using Millis = std::chrono::milliseconds;

// Returns nullopt for anything that is not a non-negative duration of at most
// 24 hours (empty, negative, unknown unit, trailing garbage, NaN, overflow).
std::optional<Millis> parse_duration(std::string_view text);

// "7.50 s" style, for messages: seconds with two decimals.
std::string format_seconds(Millis d);

}  // namespace preflight
