// One pipelined round trip of Redis commands over an open connection.
#pragma once

#include <string>
#include <vector>

#include "net/connection.h"
#include "probes/redis/resp.h"

namespace preflight {

// Sends every command at once, then reads one reply per command. A reply
// that is an error is returned like any other; the failure is the
// transport's (a timeout names the command whose reply it waited for) or
// a reply that is not RESP, quoted scrubbed with `redactor`. A server that
// refuses the client (an error reply, then a close that fails the send or
// the next read) gives the replies up to that error, the error last.
Result<std::vector<resp::Reply>> redis_round_trip(net::Connection& conn,
                                                  const std::vector<std::vector<std::string>>& commands,
                                                  const Redactor& redactor, Deadline deadline, const CancelToken& cancel);

}  // namespace preflight
