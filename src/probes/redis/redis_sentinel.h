// Redis Sentinel: which server is the master of a name, asked the way
// redis-py's Sentinel.discover_master asks: each sentinel in turn, the first
// that knows the master and does not think it down wins.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/deadline.h"
#include "base/redact.h"
#include "base/result.h"
#include "base/target.h"

namespace preflight {

struct SentinelQuery {
  std::vector<Endpoint> sentinels;
  std::string master_name;
  std::optional<std::string> password;  // the sentinels' own (requirepass in sentinel.conf)
};

// The master's address. Failure kinds: invalid_config (no sentinel knows
// the name), unhealthy (the master is reported down), auth, and the
// transport's kinds when no sentinel could be reached; the message names
// what each sentinel said.
Result<Endpoint> discover_master(const SentinelQuery& query, const Redactor& redactor, Deadline deadline,
                                 const CancelToken& cancel);

}  // namespace preflight
