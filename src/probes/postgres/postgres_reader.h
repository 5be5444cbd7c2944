// PostgreSQL connection strings, read the way libpq and the drivers that
// wrap it read them (docs/connection-strings.md has the table):
//   libpq URIs         postgres:// postgresql://   (fe-connect.c, conninfo_uri_parse)
//   libpq conninfo     host=/cloudsql/p:r:i dbname=app user=app   (conninfo_parse)
//   SQLAlchemy         postgresql+asyncpg:// +psycopg2:// +psycopg:// +pg8000:// ...
//   dj-database-url    postgis:// pgsql:// timescale://
//   JDBC               jdbc:postgresql://host/db?user=..&password=..
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "base/result.h"
#include "base/target.h"

namespace preflight {

// The error names the form and the part that is wrong; it never quotes the
// value, which may hold a password.
Result<Target> read_postgres(std::string_view text);
// The check's sslmode and sslrootcert fields, over what its URL says.
void apply_postgres_fields(Target& target, const nlohmann::json& fields);
// libpq's sslmode into the target's TLS, kept in libpq's words too.
void set_sslmode(TargetTls& tls, std::string mode);

// libpq's default when a string names no host: the socket directory that
// Debian's libpq is built with.
inline constexpr std::string_view kDefaultPostgresSocketDir = "/var/run/postgresql";

}  // namespace preflight
