// One small HTTP GET through libcurl under the deadline, for what a probe
// needs on the side (a token from the metadata server): the status, the
// body up to a limit, and the failure as the HTTP check would classify it.
#pragma once

#include <string>
#include <vector>

#include "base/deadline.h"
#include "base/result.h"

namespace preflight::net {

struct Fetched {
  long status = 0;
  std::string body;
};

// `headers` are "Name: value". No proxy is used: what is fetched is local
// to the machine (a metadata server).
Result<Fetched> fetch(const std::string& url, const std::vector<std::string>& headers, size_t max_body, Deadline deadline,
                      const CancelToken& cancel);

}  // namespace preflight::net
