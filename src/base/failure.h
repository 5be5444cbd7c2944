// Failure kinds and the error value every fallible step returns.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include "base/certificate_facts.h"

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
  resource,
  interrupted,
};

std::string_view to_string(FailureKind kind);

// Where in the exchange an attempt failed. `unknown` when no layer knew.
enum class Stage { unknown, resolve, connect, tls, send, reply, login, query };

// "resolve", "connect"... for the reports; "" for unknown.
std::string_view to_string(Stage stage);

// Why an attempt failed, named once by the layer that read the server's
// words (a probe) or the transport's result (net), so that no later stage
// reads the message again. The hint for a cause lives beside the code that
// names it: protocol causes in the protocol's ProbeType::hint, transport
// causes (TLS certificates) in the generic diagnosis. `none` when the kind
// and stage say all there is.
enum class Cause {
  none,
  // The login.
  password_required,     // the server wants credentials and none were sent (Redis NOAUTH)
  credentials_rejected,  // a password (or user and password) refused
  unknown_user,          // the server has no such user (PostgreSQL: role does not exist)
  missing_permission,    // the login worked; this user may not run the check's command (Redis NOPERM)
  tls_required,          // the server admits this login only over TLS (pg_hba hostssl, REQUIRE SSL)
  client_refused,        // the server refuses clients from here before any login (Redis protected mode)
  // The server asked for the password in clear (mysql_clear_password, PAM's
  // dialog) where nothing encrypts it: not sent.
  cleartext_password_refused,
  // The server's state.
  connection_limit,  // the server's max_connections, maxclients reached
  pooler_full,       // a pooler in front of it is (PgBouncer's max_client_conn)
  standby,           // a standby or replica where the primary is wanted
  loading,           // the dataset is loading into memory
  starting_up,       // the server process is starting
  shutting_down,     // the server is stopping (a restart or failover)
  not_ready,         // the service says so itself (HTTP 503)
  rate_limited,      // HTTP 429
  // The configuration.
  no_such_database,   // the database (index, name) does not exist on the server
  unknown_service,   // the server does not serve the service asked about (gRPC health NOT_FOUND)
  cluster_mode,       // a Redis cluster node: database 0 only
  no_such_path,       // HTTP 404
  wrong_method,       // HTTP 405
  login_wall,         // a redirect to a sign-in page: the health route is behind a login
  unauthenticated,    // HTTP 401: no credentials the server accepts
  forbidden,          // HTTP 403: known, not allowed
  server_without_tls, // TLS asked of a server that has none
  // The certificate (the TLS transport).
  certificate_expired,       // or not yet valid: outside its dates
  hostname_mismatch,         // issued for other names
  untrusted_certificate,     // no trusted CA signed it
  ca_file_unreadable,        // the CA file (or the system bundle) cannot be read
  client_certificate_required,  // the server asks for a client certificate (TLS alert 116)
  // This machine.
  out_of_file_descriptors,  // EMFILE, ENFILE
  out_of_memory,            // ENOMEM, ENOBUFS
};

std::string_view to_string(Cause cause);

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
  // Where in the exchange it failed, when known.
  Stage stage = Stage::unknown;
  // The protocol's own code, when known: a Redis error prefix (WRONGPASS),
  // a SQLSTATE (28P01), an HTTP status (503), an errno name (ECONNREFUSED).
  std::string code;
  // For a refused loopback address: the other loopback address that
  // accepted on the same port, found inside the attempt ("127.0.0.1:6379"
  // when ::1 refused: a service bound to IPv4 only).
  std::string accepted_instead;
  std::optional<SocketFacts> socket_facts;
  // Why, when the layer that read the server's words could tell.
  Cause cause = Cause::none;
  // A TLS failure's certificates, when the handshake got as far as them.
  std::optional<CertificateFacts> certificate;
  // The components a service's health answer says are failing ("db",
  // "components/redis"), scrubbed: what it depends on that is down.
  std::vector<std::string> failing_components;
};

// `f` with its stage (and code) set, keeping any already set by a lower
// layer that knew better.
inline Failure at_stage(Failure f, Stage stage, std::string code = {}) {
  if (f.stage == Stage::unknown) f.stage = stage;
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
template <>
struct fmt::formatter<preflight::Stage> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(preflight::Stage stage, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(preflight::to_string(stage), ctx);
  }
};
