// One "\r\n"-terminated protocol line off a connection (memcached's text
// protocol, NATS), bounded, on the attempt's deadline.
#pragma once

#include <string>

#include "net/connection.h"
#include "base/redact.h"

namespace preflight {

// The next line without its "\r\n"; what follows it stays in `buffer` for
// the next call. A line over `max_line` bytes is a protocol failure, which
// quotes its start scrubbed with `redactor`.
Result<std::string> read_line(net::Connection& conn, std::string& buffer, size_t max_line, const Redactor& redactor,
                              Deadline deadline, const CancelToken& cancel);

}  // namespace preflight
