// Non-fatal findings about a plan, made offline: settings that work today
// but hurt in production. They are printed as warnings (and logged) and
// never change the exit code.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "preflight/duration.h"
#include "preflight/plan.h"
#include "preflight/platform.h"

namespace preflight {

// The phases a run will use, with --phase-timeout applied.
struct PhaseSelection {
  std::set<std::string> only;             // empty: all
  std::map<std::string, Millis> timeouts;  // overrides by name
};

// TLS verification switched off; TLS off to a host that is not private;
// loopback targets on Cloud Run; phase timeouts that add up to more than
// the startup budget.
std::vector<std::string> plan_warnings(const Plan& plan, const Platform& platform, const PhaseSelection& selection);

// True for loopback names and addresses: localhost, 127.0.0.0/8, ::1, 0.0.0.0.
bool is_loopback_host(std::string_view host);

// True when `host` is reached without crossing the public internet: loopback,
// private or link-local addresses, single-label names and the internal
// suffixes .internal, .local, .localhost, .svc, .cluster.local, .lan, .home.arpa.
bool is_internal_host(std::string_view host);

}  // namespace preflight
