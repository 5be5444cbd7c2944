// A bare TCP connect, for a failing attempt to learn more: "refused on ::1,
// but is the service there on 127.0.0.1?".
#pragma once

#include <cstdint>
#include <string>

#include "base/deadline.h"
#include "base/failure.h"

namespace preflight::net {

// `refused` with accepted_instead set when it is a refusal of one loopback
// literal (::1 or 127.0.0.1; libcurl does not say which address it dialled,
// and a name such as localhost was tried on every address it has) and the
// other accepts on `port`. Runs inside the attempt, under its deadline, spending
// at most 200 ms: Node >= 17 and others try ::1 for "localhost" and stop
// there, so a service bound to 127.0.0.1 only looks down although it runs.
Failure with_other_loopback(Failure refused, const std::string& dialled_ip, uint16_t port, Deadline deadline,
                            const CancelToken& cancel);

}  // namespace preflight::net
