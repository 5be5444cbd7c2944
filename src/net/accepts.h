// A bare TCP connect, for diagnosis only: "does anything accept on this
// numeric address?" answers questions such as "refused on ::1, but is the
// service there on 127.0.0.1?".
#pragma once

#include <cstdint>
#include <string>

#include "preflight/deadline.h"

namespace preflight::net {

// True when a TCP connection to the numeric address `ip` (IPv4 or IPv6)
// completes before the deadline. The connection is closed at once.
bool accepts_connections(const std::string& ip, uint16_t port, Deadline deadline);

}  // namespace preflight::net
