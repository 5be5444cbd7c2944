// The built-in default profile: used when no config file is given.
#pragma once

#include <vector>
#include <string>

#include "preflight/config.h"
#include "preflight/variables.h"

namespace preflight {

// Four phases, database, cache, services and websocket, built from
// well-known variables (DATABASE_URL or POSTGRES_HOST, REDIS_URL or
// REDIS_HOST, every *_SERVICE_URL, WEBSOCKET_URL). Strings are templates
// that refer to those variables, so findings name them. A phase with nothing
// configured has no checks (reported as skipped). Variables whose check
// type this build has no probe for are listed in `unsupported`.
ConfigFile default_profile(const VariableSet& vars, std::vector<std::string>& unsupported);

}  // namespace preflight
