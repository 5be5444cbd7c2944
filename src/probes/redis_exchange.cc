#include "probes/redis_exchange.h"

#include <fmt/format.h>

namespace preflight {

Result<std::vector<resp::Reply>> redis_round_trip(net::Connection& conn,
                                                  const std::vector<std::vector<std::string>>& commands,
                                                  const Redactor& redactor, Deadline deadline, const CancelToken& cancel) {
  std::string request;
  for (const auto& command : commands) request += resp::format_command(command);
  if (auto sent = conn.send_all(request, deadline, cancel); !sent.ok()) return Unexpected<Failure>{sent.error()};

  std::vector<resp::Reply> replies;
  resp::Reader reader(redactor);
  char buf[4096];
  while (replies.size() < commands.size()) {
    auto next = reader.next();
    if (!next.ok()) return Unexpected<Failure>{next.error()};
    if (*next) {
      replies.push_back(std::move(**next));
      continue;
    }
    auto got = conn.receive(buf, sizeof buf, deadline, cancel);
    if (!got.ok()) {
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
