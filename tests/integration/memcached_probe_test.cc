// The memcached check against a real memcached (Debian's package), and
// against fixtures for what a real one does not do.
#include <gtest/gtest.h>

#include "as_user.h"
#include "binary_harness.h"
#include "fixture_server.h"
#include "harness.h"
#include "loopback_daemon.h"
#include "refused_port.h"

namespace preflight::testing {
namespace {

// memcached on a free loopback port, TCP only.
class Memcached : public LoopbackDaemon {
 public:
  Memcached()
      : LoopbackDaemon([](int port) {
          std::vector<std::string> argv = {kProgram, "-l", "127.0.0.1", "-p", std::to_string(port), "-U", "0"};
          // It refuses to run as root. Not its own -u: see as_user. Only
          // when installed, so that LoopbackDaemon still sees it missing.
          return access(kProgram, X_OK) == 0 ? as_user("nobody", "nogroup", argv) : argv;
        }) {}

 private:
  static constexpr const char* kProgram = "/usr/bin/memcached";
};

TEST(MemcachedProbe, VersionAnsweredIsReady) {
  Memcached server;
  if (server.unavailable()) GTEST_SKIP() << "memcached is not installed";
  auto r = run_one(fmt::format(R"({{"name":"m","type":"memcached","url":"memcached://127.0.0.1:{}"}})", server.port()));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
  EXPECT_EQ(r.report.attempts, 1);
}

TEST(MemcachedProbe, TheDefaultProfileReadsMemcachedHostAndPort) {
  Memcached server;
  if (server.unavailable()) GTEST_SKIP() << "memcached is not installed";
  auto r = run_clean(cmd({"--once"}), {{"MEMCACHED_HOST", "127.0.0.1"}, {"MEMCACHED_PORT", std::to_string(server.port())}});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("memcached"), std::string::npos) << r.out;
}

TEST(MemcachedProbe, AnHttpServerOnThePortIsNotMemcached) {
  FixtureServer http(Behaviour::garbage);
  auto r = run_one(fmt::format(R"({{"name":"m","type":"memcached","url":"memcached://127.0.0.1:{}"}})", http.port()), "300ms");
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::protocol) << describe(r.report);
  EXPECT_EQ(to_string(r.report.error->stage), "reply");
  EXPECT_NE(r.report.error->message.find("instead of \"VERSION ...\""), std::string::npos) << describe(r.report);
}

TEST(MemcachedProbe, NothingListeningIsRefusedAndACredentialIsRefusedOffline) {
  RefusedPort nothing;
  auto refused = run_one(fmt::format(R"({{"name":"m","type":"memcached","url":"memcached://127.0.0.1:{}"}})", nothing.port()), "300ms", true);
  ASSERT_TRUE(refused.report.error);
  EXPECT_EQ(refused.report.error->kind, FailureKind::connection_refused) << describe(refused.report);
  auto sasl = run_one(R"({"name":"m","type":"memcached","url":"memcached://user:pw@127.0.0.1:11211"})", "300ms", true);
  ASSERT_TRUE(sasl.report.error);
  EXPECT_EQ(sasl.report.error->kind, FailureKind::invalid_config) << describe(sasl.report);
  EXPECT_EQ(sasl.report.attempts, 0);
}

}  // namespace
}  // namespace preflight::testing
