// A throwaway RabbitMQ broker (Debian's rabbitmq-server) on free loopback
// ports, with its own epmd, for the life of the object. Starting it takes
// several seconds: a test binary starts it once per suite. Account: kUser
// with kPassword, allowed on kVhost.
#pragma once

#include <memory>
#include <string>

#include "process.h"

namespace preflight::testing {

class RabbitmqServer {
 public:
  static constexpr const char* kUser = "app";
  static constexpr const char* kPassword = "rabbit-test-pw";
  static constexpr const char* kVhost = "appvhost";

  RabbitmqServer();
  ~RabbitmqServer();  // SIGTERM to the server (its script stops the node), then its epmd, by PID
  int port() const { return port_; }
  // Empty when RabbitMQ could not be started; the reason otherwise.
  const std::string& unavailable_reason() const { return unavailable_; }

 private:
  std::unique_ptr<TempDir> dir_;
  int port_ = 0;
  std::unique_ptr<Process> epmd_, server_;
  std::string unavailable_;
};

}  // namespace preflight::testing
