// The built-in default profile: used when no config file is given.
#pragma once

#include <vector>
#include <string>

#include "config/config.h"
#include "config/variables.h"

namespace preflight {

// Four phases, database, cache, services and websocket, with the checks
// each protocol offers for the well-known variables it finds (DATABASE_URL
// or POSTGRES_HOST, REDIS_URL or REDIS_HOST, every *_SERVICE_URL,
// WEBSOCKET_URL...: ProbeType::offer, in each protocol's *_profile.cc).
// Strings are templates that refer to those variables, so findings name
// them. A phase with nothing configured has no checks (reported as
// skipped).
ConfigFile default_profile(const VariableSet& vars);

}  // namespace preflight
