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
  std::string unix_socket;  // set: also listen on this Unix socket
  int maxclients = 0;       // set: --maxclients
  int replica_of = 0;       // set: a replica of the server on this loopback port (masterauth: password)
  bool cluster = false;     // cluster mode (one node, no slots: it answers PING, refuses SELECT)
  // Sentinel mode: a redis-server --sentinel watching the master at
  // 127.0.0.1:sentinel_master_port under this name (password: requirepass
  // of the sentinel itself; sentinel_auth_pass: the master's).
  std::string sentinel_master_name;
  int sentinel_master_port = 0;
  std::string sentinel_auth_pass;
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
  bool start_sentinel(const RedisOptions& options, std::string& log);
  // Starts argv and waits (bounded) for the port to accept.
  bool launch(const std::vector<std::string>& argv, std::string& log);

  int port_ = 0;
  std::unique_ptr<TempDir> dir_;  // a sentinel rewrites its config file
  std::unique_ptr<Process> process_;
};

}  // namespace preflight::testing
