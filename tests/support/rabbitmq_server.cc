#include "rabbitmq_server.h"

#include <signal.h>
#include <unistd.h>

#include <thread>

#include <fmt/format.h>

namespace preflight::testing {

namespace {
constexpr const char* kRabbitmqServer = "/usr/lib/rabbitmq/bin/rabbitmq-server";
constexpr const char* kEpmd = "/usr/bin/epmd";
}  // namespace

RabbitmqServer::RabbitmqServer() {
  if (access(kRabbitmqServer, X_OK) != 0 || access(kEpmd, X_OK) != 0) {
    unavailable_ = "rabbitmq-server is not installed";
    return;
  }
  dir_ = std::make_unique<TempDir>();
  port_ = free_port();
  const int epmd_port = free_port();
  const int dist_port = free_port();
  dir_->write("rabbitmq.conf", fmt::format("listeners.tcp.default = 127.0.0.1:{}\nloopback_users = none\n"
                                           "default_user = {}\ndefault_pass = {}\ndefault_vhost = {}\n",
                                           port_, kUser, kPassword, kVhost));
  // Our own epmd, in the foreground, so that it is ours to stop.
  epmd_ = std::make_unique<Process>(std::vector<std::string>{kEpmd, "-port", std::to_string(epmd_port)});
  const std::string& d = dir_->path();
  std::map<std::string, std::string> env = {
      {"HOME", d},  // the Erlang cookie
      {"RABBITMQ_NODENAME", fmt::format("preflight{}@localhost", port_)},
      {"RABBITMQ_MNESIA_BASE", d + "/mnesia"},
      {"RABBITMQ_LOG_BASE", d + "/log"},
      {"RABBITMQ_CONFIG_FILE", d + "/rabbitmq"},
      {"RABBITMQ_ENABLED_PLUGINS_FILE", d + "/enabled_plugins"},
      {"RABBITMQ_DIST_PORT", std::to_string(dist_port)},
      {"ERL_EPMD_PORT", std::to_string(epmd_port)},
      {"RABBITMQ_PID_FILE", d + "/rabbitmq.pid"},
      // The script then execs the VM instead of running it in the
      // background: the PID we hold, and the parent-death signal, are the
      // broker's, which would otherwise outlive a killed test process.
      {"RUNNING_UNDER_SYSTEMD", "true"},
  };
  dir_->write("enabled_plugins", "[].\n");
  server_ = std::make_unique<Process>(std::vector<std::string>{kRabbitmqServer}, env);
  for (int i = 0; i < 600; ++i) {  // at most 30 s: the broker takes several seconds
    if (port_accepts(port_)) return;
    if (server_->exited()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  auto r = server_->wait(std::chrono::seconds(1));
  unavailable_ = "rabbitmq-server did not start: " + r.out.substr(0, 2000) + r.err.substr(0, 2000);
  server_.reset();
}

RabbitmqServer::~RabbitmqServer() {
  if (server_) {
    server_->signal(SIGTERM);  // the VM stops the node cleanly on it
    server_->wait(std::chrono::seconds(30));
  }
  if (epmd_) {
    epmd_->signal(SIGTERM);
    epmd_->wait(std::chrono::seconds(5));
  }
}

}  // namespace preflight::testing
