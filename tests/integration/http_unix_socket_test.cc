// HTTP over a Unix socket (http+unix://, and the unix_socket field) against
// Python's own http.server listening on one.
#include <unistd.h>

#include <thread>

#include <gtest/gtest.h>

#include "harness.h"
#include "process.h"

namespace preflight::testing {
namespace {

// 200 on /health..., 404 elsewhere; the body names the Host header it got.
constexpr const char* kServer = R"(import http.server, socketserver, sys
class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("host=" + self.headers.get("Host", "")).encode()
        self.send_response(200 if self.path.startswith("/health") else 404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass
class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
Server(sys.argv[1], Handler).serve_forever()
)";

class HttpUnixSocket : public ::testing::Test {
 protected:
  void SetUp() override {
    socket_ = dir_.path() + "/app run.sock";  // a space, to be percent-encoded
    server_ = std::make_unique<Process>(std::vector<std::string>{"/usr/bin/python3", "-c", kServer, socket_});
    // Accepting, not merely there: the file appears at bind(), before
    // listen(), and a check in between was refused (seen under load).
    for (int i = 0; i < 500 && !unix_socket_accepts(socket_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (!unix_socket_accepts(socket_)) GTEST_SKIP() << "python3's http.server did not start";
  }
  std::string encoded() const {
    std::string out;
    for (char c : socket_) out += c == '/' ? std::string("%2F") : c == ' ' ? std::string("%20") : std::string(1, c);
    return out;
  }
  TempDir dir_;
  std::string socket_;
  std::unique_ptr<Process> server_;
};

TEST_F(HttpUnixSocket, HttpPlusUnixWithThePercentEncodedSocketPath) {
  auto r = run_one(fmt::format(R"({{"name":"h","type":"http","url":"http+unix://{}/health?probe=1"}})", encoded()));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
  EXPECT_EQ(r.report.target, fmt::format("http+unix://{}/health?probe=1", encoded()));
}

TEST_F(HttpUnixSocket, TheUnixSocketFieldKeepsTheUrlsHostInTheHostHeader) {
  auto r = run_one(fmt::format(R"({{"name":"h","type":"http","url":"http://app.internal/health","unix_socket":"{}",
                                  "expect":{{"body_contains":"host=app.internal"}}}})",
                               socket_));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
}

TEST_F(HttpUnixSocket, AWrongPathIsA404AndAMissingSocketIsNamed) {
  auto wrong = run_one(fmt::format(R"({{"name":"h","type":"http","url":"http+unix://{}/","health_path":"/ready"}})", encoded()),
                       "1s", true);
  ASSERT_TRUE(wrong.report.error);
  EXPECT_EQ(wrong.report.error->kind, FailureKind::invalid_config) << describe(wrong.report);
  EXPECT_EQ(wrong.report.error->code, "404") << describe(wrong.report);

  auto missing = run_one(R"({"name":"h","type":"http","url":"http+unix://%2Fnonexistent%2Fapp.sock/health"})", "300ms", true);
  ASSERT_TRUE(missing.report.error);
  EXPECT_EQ(missing.report.error->kind, FailureKind::connection_refused) << describe(missing.report);
  EXPECT_NE(missing.report.error->message.find("/nonexistent/app.sock"), std::string::npos) << describe(missing.report);
  EXPECT_NE(missing.report.error->hint.find("nothing is listening on /nonexistent/app.sock"), std::string::npos)
      << describe(missing.report);
}

TEST(HttpUnixSocketUrl, ASocketThatIsNotAnAbsolutePathIsRefusedOffline) {
  auto bad = run_one(R"({"name":"h","type":"http","url":"http+unix://app.sock/health"})", "300ms", true);
  ASSERT_TRUE(bad.report.error);
  EXPECT_EQ(bad.report.error->kind, FailureKind::invalid_config) << describe(bad.report);
  EXPECT_NE(bad.report.error->message.find("not an absolute path"), std::string::npos) << describe(bad.report);
}

}  // namespace
}  // namespace preflight::testing
