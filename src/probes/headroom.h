// Connection headroom: after a login, how many more connections the server
// will take, because the next scale-out (more instances, bigger pools) fails
// there with "too many clients" while every check still passes.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "base/result.h"

namespace preflight {

inline constexpr int kDefaultHeadroomPercent = 10;

// The check's "headroom" field: the share of connections (percent, 0 to 99)
// that must stay free; 0 turns the warning off. invalid_config otherwise.
Result<int> headroom_percent(const nlohmann::json& fields);

// A warning when fewer than `percent` of the `usable` connections are free
// with `in_use` taken; `what` names the limit ("max_connections 100, 3
// reserved for superusers"). nullopt when there is room.
std::optional<std::string> headroom_warning(const std::string& server, long usable, long in_use, int percent,
                                            const std::string& what);

}  // namespace preflight
