// A throwaway PostgreSQL cluster on a free loopback port: initdb into a
// temporary directory (as the unprivileged `postgres` user when run as
// root), password (SCRAM) authentication over TCP.
#pragma once

#include <memory>
#include <string>

#include "process.h"

namespace preflight::testing {

struct PostgresOptions {
  std::string tls_cert, tls_key;  // set: ssl=on with this certificate
};

class PostgresServer {
 public:
  static constexpr const char* kPassword = "pg-test-pw";
  explicit PostgresServer(const PostgresOptions& options = {});
  ~PostgresServer();  // SIGTERM (smart shutdown → fast), by PID; removes the cluster
  int port() const { return port_; }
  // Empty when PostgreSQL could not be started; the reason otherwise.
  const std::string& unavailable_reason() const { return unavailable_; }

 private:
  std::string bin_dir_;
  std::unique_ptr<TempDir> dir_;
  int port_ = 0;
  std::unique_ptr<Process> process_;
  std::string unavailable_;
};

}  // namespace preflight::testing
