#include "probes/headroom.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace preflight {

Result<int> headroom_percent(const nlohmann::json& fields) {
  auto it = fields.find("headroom");
  if (it == fields.end()) return kDefaultHeadroomPercent;
  if (!it->is_number_integer() || it->get<long>() < 0 || it->get<long>() > 99) {
    return fail(FailureKind::invalid_config, "headroom: expected a percentage of connections to keep free, 0 to 99 (0: no warning)");
  }
  return static_cast<int>(it->get<long>());
}

std::optional<std::string> headroom_warning(const std::string& server, long usable, long in_use, int percent,
                                            const std::string& what) {
  if (percent <= 0 || usable <= 0) return std::nullopt;
  const long free = std::max(0L, usable - in_use);
  if (free * 100 >= static_cast<long>(percent) * usable) return std::nullopt;
  return fmt::format("{} has {} of {} connections free ({} in use; {}), less than the {}% headroom: the next scale-out "
                     "(more instances, bigger pools) may be refused with \"too many clients\"",
                     server, free, usable, in_use, what, percent);
}

}  // namespace preflight
