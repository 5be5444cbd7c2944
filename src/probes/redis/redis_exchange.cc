#include "probes/redis/redis_exchange.h"

#include <chrono>

#include <fmt/format.h>

namespace preflight {
namespace {

// How long a failed send waits for what the server said before closing:
// it was sent before the close, so it is there at once or not at all.
constexpr auto kLastWordsWait = std::chrono::milliseconds(50);

}  // namespace

Result<std::vector<resp::Reply>> redis_round_trip(net::Connection& conn,
                                                  const std::vector<std::vector<std::string>>& commands,
                                                  const Redactor& redactor, Deadline deadline, const CancelToken& cancel) {
  std::string request;
  for (const auto& command : commands) request += resp::format_command(command);
  std::vector<resp::Reply> replies;
  resp::Reader reader(redactor);
  char buf[4096];
  if (auto sent = conn.send_all(request, deadline, cancel); !sent.ok()) {
    // A server that refuses the client speaks first and closes (protected
    // mode's -DENIED, maxclients): the commands then meet a reset. What it
    // said is still in the socket, and is the cause.
    if (sent.error().kind != FailureKind::protocol) return Unexpected<Failure>{sent.error()};
    auto got = conn.receive(buf, sizeof buf, Deadline::after(kLastWordsWait).earlier(deadline), cancel);
    if (got.ok() && *got > 0) {
      reader.feed({buf, *got});
      if (auto said = reader.next(); said.ok() && *said && (**said).type == resp::Reply::Type::error) {
        replies.push_back(std::move(**said));
        return replies;
      }
    }
    return Unexpected<Failure>{sent.error()};
  }
  while (replies.size() < commands.size()) {
    auto next = reader.next();
    if (!next.ok()) return Unexpected<Failure>{next.error()};
    if (*next) {
      replies.push_back(std::move(**next));
      continue;
    }
    auto got = conn.receive(buf, sizeof buf, deadline, cancel);
    if (!got.ok()) {
      // An error reply, then the close: the reply is why (-DENIED,
      // -ERR max number of clients reached), not the close after it.
      if (!replies.empty() && replies.back().type == resp::Reply::Type::error) return replies;
      Failure f = got.error();
      if (f.kind == FailureKind::timeout) {
        f.message = fmt::format("{} (waiting for the reply to {})", f.message, commands[replies.size()].front());
      }
      return Unexpected<Failure>{std::move(f)};
    }
    reader.feed({buf, *got});
  }
  return replies;
}

}  // namespace preflight
