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
  // Set (with tls_cert): TCP clients must use TLS and present a certificate
  // signed by this CA (hostssl ... clientcert=verify-ca), and a password.
  std::string client_ca;
  // Set: no TCP listener at all, only a socket in this subdirectory of the
  // cluster's directory (Cloud SQL's /cloudsql/PROJECT:REGION:INSTANCE), with
  // password (SCRAM) authentication on it.
  std::string socket_only_subdir;
  int max_connections = 20;
};

class PostgresServer {
 public:
  static constexpr const char* kPassword = "pg-test-pw";
  explicit PostgresServer(const PostgresOptions& options = {});
  ~PostgresServer();  // SIGTERM (smart shutdown → fast), by PID; removes the cluster
  int port() const { return port_; }
  // The directory that holds the server's socket .s.PGSQL.<port>.
  const std::string& socket_dir() const { return socket_dir_; }
  // Empty when PostgreSQL could not be started; the reason otherwise.
  const std::string& unavailable_reason() const { return unavailable_; }

 private:
  std::string bin_dir_;
  std::unique_ptr<TempDir> dir_;
  int port_ = 0;
  std::string socket_dir_;
  std::unique_ptr<Process> process_;
  std::string unavailable_;
};

}  // namespace preflight::testing
