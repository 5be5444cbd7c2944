// Failure kinds and the error value every fallible step returns.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

namespace preflight {

// The failure kinds of the reports (docs/reference.md, "Failure kinds").
enum class FailureKind {
  placeholder,
  unset_variable,
  invalid_config,
  dns,
  connection_refused,
  timeout,
  tls,
  auth,
  protocol,
  unhealthy,
  interrupted,
};

std::string_view to_string(FailureKind kind);

// True for kinds that another attempt may fix (the dependency is still
// coming up); false for kinds that only a change of configuration fixes.
bool is_retryable(FailureKind kind);

// What a failed attempt found on disk about a Unix socket it could not
// reach (net/socket_facts.h): the nearest directory on its path that exists,
// and what that directory holds, for "a typo in the Cloud SQL connection
// name" and "no Cloud SQL connection at all".
struct SocketFacts {
  std::string socket;
  bool socket_exists = false;
  std::string nearest_directory;        // "/" when not even the first component exists
  std::vector<std::string> entries;     // its entries, sorted, at most kMaxEntries
  static constexpr size_t kMaxEntries = 12;
};

struct Failure {
  FailureKind kind = FailureKind::protocol;
  std::string message;  // what happened, with the error text of the layer below
  std::string hint;     // what to do about it; may be empty
  // Where in the exchange it failed, when known: "resolve", "connect",
  // "tls", "send", "reply", "login", "query".
  std::string stage;
  // The protocol's own code, when known: a Redis error prefix (WRONGPASS),
  // a SQLSTATE (28P01), an HTTP status (503), an errno name (ECONNREFUSED).
  std::string code;
  // For a refused loopback address: the other loopback address that
  // accepted on the same port, found inside the attempt ("127.0.0.1:6379"
  // when ::1 refused: a service bound to IPv4 only).
  std::string accepted_instead;
  std::optional<SocketFacts> socket_facts;
};

// `f` with its stage (and code) set, keeping any already set by a lower
// layer that knew better.
inline Failure at_stage(Failure f, std::string stage, std::string code = {}) {
  if (f.stage.empty()) f.stage = std::move(stage);
  if (f.code.empty()) f.code = std::move(code);
  return f;
}

}  // namespace preflight

// fmt 9 (Debian bookworm) predates format_as: a formatter makes the kind
// printable by fmt and spdlog.
template <>
struct fmt::formatter<preflight::FailureKind> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(preflight::FailureKind kind, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(preflight::to_string(kind), ctx);
  }
};
