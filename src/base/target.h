// A check's connection string as its protocol's reader understood it: the
// one parse of the value. Probes connect from it, lint prints it, the
// redactor registers its credentials and diagnosis names its parts; nothing
// after the reader looks at the string again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/url.h"

namespace preflight {

// One place to connect to: a TCP host and port, or a Unix socket.
struct Endpoint {
  std::string host;         // name, IPv4 or IPv6 literal (no brackets); for a
                            // PostgreSQL socket, the socket directory
  uint16_t port = 0;
  std::string socket_path;  // the socket file; empty for TCP

  bool is_socket() const { return !socket_path.empty(); }
  // "db.internal:5432", "[::1]:6379" or "unix:/cloudsql/p:r:i/.s.PGSQL.5432".
  std::string display() const;
};

// Whether the client speaks TLS, in no protocol's words: each reader maps
// its own (libpq's sslmode, MySQL's ssl-mode, a rediss:// scheme), and
// code outside the protocol's files reads only this.
enum class TlsUse : uint8_t {
  client_default,  // not written: the client decides (libpq: PGSSLMODE, else prefer)
  off,
  optional,  // tried, and plain text accepted (sslmode=prefer or allow, ssl-mode=PREFERRED)
  required,
};

struct TargetTls {
  TlsUse use = TlsUse::off;
  bool verify = true;  // false: encrypted, but any certificate is accepted
  // The mode in the protocol's own words, as its reader understood it
  // ("verify-full", "verify_identity"), for people and for the protocol's
  // own files; empty where the scheme alone says it (rediss://, https://).
  std::string protocol_mode;
  std::string ca_file, cert, key;
  // CA files or hashed directories trusted besides ca_file (or the system
  // bundle): NODE_EXTRA_CA_CERTS, SSL_CERT_DIR (config/environment_trust.h).
  std::vector<std::string> added_ca;

  bool encrypts() const { return use == TlsUse::optional || use == TlsUse::required; }
};

// The user and password a URL wrote.
struct Login {
  std::string user;
  std::optional<std::string> password;
  bool operator==(const Login&) const = default;
};

struct Target {
  std::string form;    // how the value was read: "libpq URI", "SQLAlchemy URL (asyncpg)", ...
  std::string scheme;  // the scheme the probe speaks, lower-case: "postgres", "rediss", "https"
  std::vector<Endpoint> endpoints;  // at least one
  std::string user;
  std::optional<std::string> password;
  std::string database;  // PostgreSQL dbname; Redis db index as text
  TargetTls tls;
  // Parameters handed on to the client library as they are (libpq keywords).
  std::vector<std::pair<std::string, std::string>> options;
  // Parameters that a wrapper of the client uses and that do not change
  // whether the dependency is ready (pool sizes, Prisma's schema...).
  std::vector<std::string> ignored;
  // Every credential found in the value (passwords, and the forms in which
  // they travel): registered with the redactor before anything is printed.
  std::vector<std::string> secrets;
  // Redis Sentinel: the endpoints are the sentinels, asked for the address
  // of the master of this name; user, password, database and TLS are the
  // master's.
  std::string master_name;
  std::optional<std::string> sentinel_password;
  // URL forms keep their parts for the probes that need a path or query.
  Url url;
  // Per endpoint, the login its own URL wrote, where a list gives each
  // server its own (nats.go uses each URL's); empty when `user` and
  // `password` stand for every endpoint.
  std::vector<Login> endpoint_logins;
  // Parts the reader took from outside the string (a service file, the
  // client's environment or its compiled-in default), named as parts()
  // names them ("host", "port 2", "socket"), with where they came from
  // ("service \"orders\" of /etc/postgresql-common/pg_service.conf").
  std::vector<std::pair<std::string, std::string>> outside_origins;
  // The value as it may be shown, built by the reader from the parts it
  // understood: credentials are "***", never cut out of the raw text.
  std::string shown;

  // One line for lint: endpoints (socket or TCP), TLS, user and database.
  std::string describe() const;
  // Each part that is set, named for people ("host", "port", "socket
  // directory", "user", "password", "database", "master", "CA", "added CA";
  // "host 2"... for several endpoints), with its value. Values include
  // secrets.
  std::vector<std::pair<std::string, std::string>> parts() const;
};

// The endpoints as "a:1,b:2" (PostgreSQL's multi-host lists).
std::string join_endpoints(const std::vector<Endpoint>& endpoints);

}  // namespace preflight
