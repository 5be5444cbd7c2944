// Diagnosis: turns a failure into a hint that names the likely root cause,
// using where the values came from and where this runs.
#pragma once

#include <chrono>

#include "preflight/plan.h"
#include "preflight/platform.h"
#include "preflight/report.h"

namespace preflight {

// Fills in report.error->hint when it is empty. Never puts a secret value in
// the hint: variables are named with their source, not their value.
void diagnose(CheckReport& report, const PlannedCheck& check, const Platform& platform);

// True for IPv4 literals in 10/8, 172.16/12, 192.168/16 and 100.64/10 and
// IPv6 unique-local (fc00::/7) literals.
bool is_private_address(std::string_view host);

}  // namespace preflight
