#include "base/duration.h"

#include <charconv>
#include <cmath>

#include <fmt/format.h>

namespace preflight {

std::optional<Millis> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  double number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number,
                                   std::chars_format::fixed);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  std::string_view unit(end, static_cast<size_t>(text.data() + text.size() - end));
  double factor_ms = 0;
  if (unit.empty() || unit == "s") factor_ms = 1000;
  else if (unit == "ms") factor_ms = 1;
  else if (unit == "m") factor_ms = 60'000;
  else if (unit == "h") factor_ms = 3'600'000;
  else return std::nullopt;
  double ms = number * factor_ms;
  constexpr double kMaxMs = 24.0 * 3'600'000;
  if (!std::isfinite(ms) || ms < 0 || ms > kMaxMs) return std::nullopt;
  return Millis(static_cast<Millis::rep>(std::llround(ms)));
}

std::string format_seconds(Millis d) {
  return fmt::format("{:.2f} s", static_cast<double>(d.count()) / 1000.0);
}

}  // namespace preflight
