// Non-fatal findings about a plan, made offline: settings that work today
// but hurt in production. They are printed as warnings (and logged) and
// never change the exit code.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "base/duration.h"
#include "config/plan.h"
#include "config/platform.h"
#include "config/variables.h"

namespace preflight {

// TLS verification switched off; TLS off to a host that is not private;
// loopback targets on Cloud Run; a part of a target with white space at an
// end (a secret made with echo); phase timeouts that add up to more than
// the startup budget.
std::vector<std::string> plan_warnings(const Plan& plan, const Platform& platform);

// On Cloud Run: PORT set by an env file or --set (Cloud Run sets PORT and
// rejects a revision that sets it; a copied value makes the server listen
// where the platform does not look).
std::vector<std::string> variable_warnings(const VariableSet& vars, const Platform& platform);

// On Cloud Run: an env file the config lists that the nearest .dockerignore
// leaves out of the image (preflight would stop there with exit 2).
std::vector<std::string> image_warnings(const ConfigFile& config, const Platform& platform);

}  // namespace preflight
