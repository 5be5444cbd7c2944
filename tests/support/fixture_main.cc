// preflight-fixture: the fixture servers as a program, for the demo.
//   preflight-fixture health     → an HTTP service whose /health says {"status":"healthy"}
//   preflight-fixture websocket  → a WebSocket server that answers pings
//   preflight-fixture silent|blackhole|trickle → the faults of the benchmark
// Prints the port it listens on, then serves until SIGTERM or SIGINT.
#include <signal.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "fixture_server.h"

using namespace preflight::testing;

int main(int argc, char** argv) {
  const std::map<std::string, Behaviour> modes = {{"health", Behaviour::http},       {"websocket", Behaviour::websocket},
                                                   {"silent", Behaviour::silent},     {"blackhole", Behaviour::blackhole},
                                                   {"trickle", Behaviour::trickle}};
  const auto mode = argc == 2 ? modes.find(argv[1]) : modes.end();
  if (mode == modes.end()) {
    std::fprintf(stderr, "usage: preflight-fixture health|websocket|silent|blackhole|trickle\n");
    return 2;
  }
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);  // before the server thread starts, so it inherits the mask
  FixtureOptions options;
  if (mode->second == Behaviour::http) {
    options.http = [](int, const std::string& req) {
      const bool health = req.starts_with("GET /health ") || req.starts_with("GET /health?");
      return health ? http_response(200, R"({"status":"healthy"})", "Content-Type: application/json\r\n")
                    : http_response(404, "not found");
    };
  }
  auto server = std::make_unique<FixtureServer>(mode->second, options);
  std::printf("%d\n", server->port());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop, &sig);
  return 0;
}
