// preflight-fixture: the fixture servers as a program, for the demo.
//   preflight-fixture health     → an HTTP service whose /health says {"status":"healthy"}
//   preflight-fixture websocket  → a WebSocket server that answers pings
// Prints the port it listens on, then serves until SIGTERM or SIGINT.
#include <signal.h>

#include <cstdio>
#include <cstring>
#include <memory>

#include "fixture_server.h"

using namespace preflight::testing;

int main(int argc, char** argv) {
  if (argc != 2 || (std::strcmp(argv[1], "health") != 0 && std::strcmp(argv[1], "websocket") != 0)) {
    std::fprintf(stderr, "usage: preflight-fixture health|websocket\n");
    return 2;
  }
  sigset_t stop;
  sigemptyset(&stop);
  sigaddset(&stop, SIGTERM);
  sigaddset(&stop, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop, nullptr);  // before the server thread starts, so it inherits the mask
  std::unique_ptr<FixtureServer> server;
  if (std::strcmp(argv[1], "health") == 0) {
    server = std::make_unique<FixtureServer>(Behaviour::http, FixtureOptions{.http = [](int, const std::string& req) {
      return req.starts_with("GET /health ") ? http_response(200, R"({"status":"healthy"})", "Content-Type: application/json\r\n")
                                             : http_response(404, "not found");
    }});
  } else {
    server = std::make_unique<FixtureServer>(Behaviour::websocket);
  }
  std::printf("%d\n", server->port());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop, &sig);
  return 0;
}
