// A server from a Debian package (memcached, nats-server...) on a free
// loopback port, for the life of the object: started by path, ready once
// the port accepts, killed by PID. unavailable() when it is not installed.
#pragma once

#include <signal.h>
#include <unistd.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "process.h"

namespace preflight::testing {

class LoopbackDaemon {
 public:
  // `argv_for(port)` is the command line; argv[0] must be an absolute path.
  explicit LoopbackDaemon(const std::function<std::vector<std::string>(int port)>& argv_for) : port_(free_port()) {
    std::vector<std::string> argv = argv_for(port_);
    if (access(argv.front().c_str(), X_OK) != 0) return;
    process_ = std::make_unique<Process>(argv);
    for (int i = 0; i < 500 && !port_accepts(port_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~LoopbackDaemon() {
    if (!process_) return;
    process_->signal(SIGKILL);  // throwaway state: nothing to shut down cleanly
    process_->wait(std::chrono::seconds(2));
  }
  LoopbackDaemon(const LoopbackDaemon&) = delete;
  LoopbackDaemon& operator=(const LoopbackDaemon&) = delete;

  bool unavailable() const { return process_ == nullptr; }
  int port() const { return port_; }

 private:
  int port_;
  std::unique_ptr<Process> process_;
};

}  // namespace preflight::testing
