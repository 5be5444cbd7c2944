#include "probes/line_reader.h"

#include <fmt/format.h>


namespace preflight {

Result<std::string> read_line(net::Connection& conn, std::string& buffer, size_t max_line, const Redactor& redactor,
                              Deadline deadline, const CancelToken& cancel) {
  char chunk[4096];
  size_t end;
  while ((end = buffer.find("\r\n")) == std::string::npos) {
    if (buffer.size() > max_line) {
      return Unexpected<Failure>{at_stage({FailureKind::protocol, fmt::format("{} sent over {} bytes without a line end: \"{}\"",
                                                                              conn.peer(), max_line, redactor.excerpt(buffer))},
                                          Stage::reply)};
    }
    auto got = conn.receive(chunk, sizeof chunk, deadline, cancel);
    if (!got.ok()) return Unexpected<Failure>{got.error()};
    buffer.append(chunk, *got);
  }
  std::string line = buffer.substr(0, end);
  buffer.erase(0, end + 2);
  return line;
}

}  // namespace preflight
