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
  // `extra`: more s_server options ("-Verify", "1": a client certificate is required).
  TlsServer(const std::string& cert, const std::string& key, const std::vector<std::string>& extra = {}) : port_(free_port()) {
    std::vector<std::string> argv{"openssl", "s_server", "-quiet", "-www", "-accept", std::to_string(port_), "-cert", cert, "-key", key};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process_ = std::make_unique<Process>(argv);
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
