// Helpers for the probe types, each defined in its own file and listed
// once, in registry.cc.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "probes/probe.h"

namespace preflight {

// A string field of a check, or "" when absent (types were checked when the
// config was parsed).
inline std::string string_field(const nlohmann::json& fields, const char* name) {
  auto it = fields.find(name);
  return it != fields.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace preflight
