// An `openssl s_server` speaking TLS with a given certificate on a free
// loopback port, stopped by PID.
#pragma once

#include <signal.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "process.h"

namespace preflight::testing {

class TlsServer {
 public:
  TlsServer(const std::string& cert, const std::string& key) : port_(free_port()) {
    process_ = std::make_unique<Process>(std::vector<std::string>{"openssl", "s_server", "-quiet", "-www", "-accept",
                                                                  std::to_string(port_), "-cert", cert, "-key", key});
    for (int i = 0; i < 300 && !port_accepts(port_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ~TlsServer() {
    process_->signal(SIGTERM);
    process_->wait(std::chrono::seconds(2));
  }
  int port() const { return port_; }

 private:
  int port_;
  std::unique_ptr<Process> process_;
};

}  // namespace preflight::testing
