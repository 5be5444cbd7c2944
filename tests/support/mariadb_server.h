// A throwaway MariaDB server (Debian's mariadb-server) on a free loopback
// port and a socket in a temporary directory whose path has colons, as
// Cloud SQL's /cloudsql/PROJECT:REGION:INSTANCE does. Accounts: kUser with
// kPassword on kDatabase only, and kAdmin with kPassword on everything.
#pragma once

#include <memory>
#include <string>

#include "process.h"

namespace preflight::testing {

struct MariadbOptions {
  std::string tls_cert, tls_key;  // set: TLS on (ssl_cert, ssl_key)
};

class MariadbServer {
 public:
  static constexpr const char* kUser = "app";
  static constexpr const char* kAdmin = "admin";
  static constexpr const char* kPassword = "maria-test-pw";
  static constexpr const char* kDatabase = "appdb";

  explicit MariadbServer(const MariadbOptions& options = {});
  ~MariadbServer();  // SIGTERM by PID, then waits
  int port() const { return port_; }
  const std::string& socket() const { return socket_; }
  // Empty when MariaDB could not be started; the reason otherwise.
  const std::string& unavailable_reason() const { return unavailable_; }

 private:
  std::unique_ptr<TempDir> dir_;
  int port_ = 0;
  std::string socket_;
  std::unique_ptr<Process> process_;
  std::string unavailable_;
};

}  // namespace preflight::testing
