// MySQL and MariaDB connection strings, read the way the clients that
// apps carry read them (docs/connection-strings.md has the table):
//   URLs        mysql:// mariadb:// mysql2:// (Rails), jdbc:mysql://,
//               SQLAlchemy's mysql+pymysql:// +mysqldb:// +asyncmy:// ...;
//               where the client is libmysqlclient (mysql2://, +mysqldb://,
//               +mariadbconnector://), "localhost" is the Unix socket
//               dj-database-url's %2F-encoded socket host, Prisma's ?socket=
//   Go DSNs     user:password@tcp(host:3306)/db?tls=true
//               user:password@unix(/cloudsql/p:r:i)/db   (go-sql-driver/mysql)
#pragma once

#include <string_view>

#include "base/result.h"
#include "base/target.h"

namespace preflight {

// TLS modes, in MySQL's words (the client's --ssl-mode), lower-case in
// Target::tls.protocol_mode: "disabled", "preferred", "required", "verify_ca",
// "verify_identity". The error names the form and the part that is wrong,
// never the value.
Result<Target> read_mysql(std::string_view text);

inline constexpr uint16_t kDefaultMysqlPort = 3306;
// Debian's and MariaDB's compiled-in socket of libmysqlclient/Connector/C.
inline constexpr const char* kDefaultMysqlSocket = "/run/mysqld/mysqld.sock";

}  // namespace preflight
