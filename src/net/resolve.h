// Name resolution that obeys a deadline. getaddrinfo has no timeout, so it
// runs on a helper thread that is left behind (it finishes on its own, and
// owns nothing of the caller's) when the deadline or cancellation comes first.
#pragma once

#include <string>
#include <vector>

#include "base/deadline.h"
#include "base/result.h"

namespace preflight::net {

// True for an IPv4 or IPv6 address written as such (no lookup needed).
bool is_ip_literal(const std::string& host);

// Numeric addresses of `host` ("10.0.0.3", "::1"), IPv4 first. An IP
// literal is returned as is, without a thread. Failure kinds: dns, timeout,
// interrupted.
Result<std::vector<std::string>> resolve(const std::string& host, uint16_t port, Deadline deadline,
                                         const CancelToken& cancel);

}  // namespace preflight::net
