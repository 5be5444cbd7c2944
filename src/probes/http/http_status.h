// What an HTTP status says, for the two probes that read one (http, and
// websocket's upgrade): its cause, named where the status is read, and the
// hint for that cause.
#pragma once

#include <string>

#include "base/failure.h"
#include "probes/probe.h"

namespace preflight {

// 401, 403, 404, 405, 429 and 503 have causes of their own; others none.
Cause http_status_cause(long status);

// The hint for a cause http_status_cause names; "" for any other.
std::string http_status_hint(const Failure& failure, const HintContext& context);

}  // namespace preflight
