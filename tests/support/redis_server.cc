#include "redis_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>
#include <thread>

#include <fmt/format.h>

namespace preflight::testing {
RedisServer::RedisServer(const RedisOptions& options) {
  // Another test may take the free port before redis binds it: try again
  // with a new port, a bounded number of times.
  std::string log;
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (start(options, log)) return;
    if (!process_) return;  // redis-server is not installed
  }
  throw std::runtime_error("redis-server did not start: " + log);
}

bool RedisServer::start(const RedisOptions& options, std::string& log) {
  port_ = free_port();
  if (!options.sentinel_master_name.empty()) return start_sentinel(options, log);
  std::vector<std::string> argv = {"redis-server", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                                   "--daemonize", "no", "--loglevel", "warning", "--dir", "/tmp"};
  if (options.tls_cert.empty()) {
    argv.insert(argv.end(), {"--port", std::to_string(port_)});
  } else {
    argv.insert(argv.end(), {"--port", "0", "--tls-port", std::to_string(port_), "--tls-cert-file", options.tls_cert,
                             "--tls-key-file", options.tls_key, "--tls-ca-cert-file", options.tls_ca,
                             "--tls-auth-clients", "no"});
  }
  if (!options.password.empty()) argv.insert(argv.end(), {"--requirepass", options.password});
  if (options.maxclients > 0) argv.insert(argv.end(), {"--maxclients", std::to_string(options.maxclients)});
  if (options.replica_of != 0) {
    argv.insert(argv.end(), {"--replicaof", "127.0.0.1", std::to_string(options.replica_of)});
    if (!options.password.empty()) argv.insert(argv.end(), {"--masterauth", options.password});
  }
  if (!options.unix_socket.empty()) argv.insert(argv.end(), {"--unixsocket", options.unix_socket, "--unixsocketperm", "700"});
  if (options.cluster) {
    dir_ = std::make_unique<TempDir>();  // its nodes.conf, removed with it
    // The bus port is the port + 10000 unless given: past 65535 for most free ports.
    argv.insert(argv.end(), {"--cluster-enabled", "yes", "--cluster-config-file", dir_->path() + "/nodes.conf", "--dir",
                             dir_->path(), "--cluster-port", std::to_string(free_port())});
  }
  for (const auto& rule : options.acl_users) {
    argv.push_back("--user");
    // redis-server takes the rule as separate words after --user.
    size_t start = 0;
    for (size_t sp = rule.find(' '); ; sp = rule.find(' ', start)) {
      argv.push_back(rule.substr(start, sp - start));
      if (sp == std::string::npos) break;
      start = sp + 1;
    }
  }
  return launch(argv, log);
}

bool RedisServer::start_sentinel(const RedisOptions& options, std::string& log) {
  dir_ = std::make_unique<TempDir>();
  std::string conf = fmt::format("port {}\nbind 127.0.0.1\ndir {}\nsentinel monitor {} 127.0.0.1 {} 1\n", port_,
                                 dir_->path(), options.sentinel_master_name, options.sentinel_master_port);
  if (!options.sentinel_auth_pass.empty()) {
    conf += fmt::format("sentinel auth-pass {} {}\n", options.sentinel_master_name, options.sentinel_auth_pass);
  }
  if (!options.password.empty()) conf += fmt::format("requirepass {}\n", options.password);
  return launch({"redis-server", dir_->write("sentinel.conf", conf), "--sentinel", "--loglevel", "warning"}, log);
}

bool RedisServer::launch(const std::vector<std::string>& argv, std::string& log) {
  try {
    process_ = std::make_unique<Process>(argv);
  } catch (const std::exception&) {
    process_.reset();
    return false;
  }
  for (int i = 0; i < 500; ++i) {  // at most 5 s
    if (port_accepts(port_)) return true;
    if (process_->exited()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto result = process_->wait(std::chrono::milliseconds(1));
  log += result.out + result.err;
  return false;
}

RedisServer::~RedisServer() {
  if (!process_) return;
  process_->signal(SIGTERM);
  process_->wait(std::chrono::seconds(2));
}

}  // namespace preflight::testing
