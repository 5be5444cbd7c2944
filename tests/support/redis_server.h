// A real redis-server on a free loopback port, for the life of the object.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "process.h"

namespace preflight::testing {

struct RedisOptions {
  std::string password;  // requirepass
  std::vector<std::string> acl_users;  // "user NAME on >PASSWORD ~* +@all" rules
  // TLS: serve TLS only, with this certificate, key and CA.
  std::string tls_cert, tls_key, tls_ca;
};

class RedisServer {
 public:
  explicit RedisServer(const RedisOptions& options = {});
  ~RedisServer();  // SIGTERM, then SIGKILL after 2 s, by PID
  int port() const { return port_; }
  // True when redis-server could not be started here (not installed).
  bool unavailable() const { return process_ == nullptr; }

 private:
  // One try on a fresh port; false (with redis' output in log) if it exited.
  bool start(const RedisOptions& options, std::string& log);

  int port_ = 0;
  std::unique_ptr<Process> process_;
};

}  // namespace preflight::testing
