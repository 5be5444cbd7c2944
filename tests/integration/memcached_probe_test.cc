// The memcached check against a real memcached (Debian's package), and
// against fixtures for what a real one does not do.
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "as_user.h"
#include "binary_harness.h"
#include "fixture_server.h"
#include "harness.h"
#include "loopback_daemon.h"
#include "process.h"
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


// Every server of a list holds its share of the keys (pymemcache's
// HashClient, memjs and Dalli hash keys over all of them): each one must
// answer, and the failure names which one did not.
TEST(MemcachedProbe, EveryServerOfAListMustAnswerAndTheFailureNamesTheOneThatDidNot) {
  Memcached first, second;
  if (first.unavailable()) GTEST_SKIP() << "memcached is not installed";
  auto both = run_one(fmt::format(R"({{"name":"m","type":"memcached","url":"127.0.0.1:{};127.0.0.1:{}"}})", first.port(), second.port()));
  EXPECT_EQ(both.report.status, CheckStatus::passed) << describe(both.report);
  RefusedPort nothing;
  auto one_down = run_one(fmt::format(R"({{"name":"m","type":"memcached","url":"127.0.0.1:{},127.0.0.1:{}"}})", first.port(), nothing.port()),
                          "300ms", true);
  ASSERT_TRUE(one_down.report.error) << describe(one_down.report);
  EXPECT_EQ(one_down.report.error->kind, FailureKind::connection_refused) << describe(one_down.report);
  EXPECT_NE(one_down.report.error->message.find("server 2 of 2"), std::string::npos) << describe(one_down.report);
  EXPECT_NE(one_down.report.error->message.find(std::to_string(nothing.port())), std::string::npos) << describe(one_down.report);
}

// unix:/path, as Django's LOCATION and pymemcache write a socket.
TEST(MemcachedProbe, AServerOnAUnixSocketAnswers) {
  if (access("/usr/bin/memcached", X_OK) != 0) GTEST_SKIP() << "memcached is not installed";
  TempDir dir;
  // The server runs as nobody: it must reach the directory and make its socket there.
  chmod(dir.path().c_str(), 0777);
  const std::string socket = dir.path() + "/memcached.sock";
  Process server(as_user("nobody", "nogroup", {"/usr/bin/memcached", "-s", socket, "-a", "0777"}));
  struct stat st {};
  for (int i = 0; i < 500 && stat(socket.c_str(), &st) != 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  auto r = run_one(fmt::format(R"({{"name":"m","type":"memcached","url":"unix:{}"}})", socket));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
  server.signal(SIGKILL);
  server.wait(std::chrono::seconds(2));
}

// The variables memcached's clients read, each making the cache phase's
// check by itself (a list where the client takes one).
TEST(MemcachedProbe, TheDefaultProfileReadsEachClientsVariable) {
  Memcached first, second;
  if (first.unavailable()) GTEST_SKIP() << "memcached is not installed";
  const std::string a = fmt::format("127.0.0.1:{}", first.port()), b = fmt::format("127.0.0.1:{}", second.port());
  const std::vector<std::pair<std::string, std::string>> rows = {
      {"MEMCACHED_URL", "memcached://" + a},     {"CACHE_URL", "memcache://" + a + "," + b},
      {"CACHE_URL", "pymemcache://" + a},        {"MEMCACHED_SERVERS", a + ";" + b},
      {"MEMCACHIER_SERVERS", a + "," + b},       {"MEMCACHE_SERVERS", a},
  };
  for (const auto& [name, value] : rows) {
    auto r = run_clean(cmd({"--once"}), {{name, value}});
    EXPECT_EQ(r.exit_code, 0) << name << "=" << value << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find("memcached"), std::string::npos) << name << "\n" << r.out;
  }
  // A list of which one server is down fails the run, whichever variable holds it.
  RefusedPort nothing;
  auto down = run_clean(cmd({"--once"}), {{"MEMCACHE_SERVERS", a + "," + fmt::format("127.0.0.1:{}", nothing.port())}});
  EXPECT_EQ(down.exit_code, 3) << down.out << down.err;
}

// What lint says of the forms no client reads as written.
TEST(MemcachedProbe, LintNamesWhatAListCannotMean) {
  auto spaces = run_clean(cmd({"lint"}), {{"MEMCACHE_SERVERS", "a.internal:11211, b.internal:11211"}});
  EXPECT_NE(spaces.out.find("white space between servers"), std::string::npos) << spaces.out;
  auto bare_ipv6 = run_clean(cmd({"lint"}), {{"MEMCACHE_SERVERS", "fd00::5:11211"}});
  EXPECT_NE(bare_ipv6.exit_code, 0) << bare_ipv6.out;
  EXPECT_NE(bare_ipv6.out.find("needs brackets"), std::string::npos) << bare_ipv6.out;
  EXPECT_NE(bare_ipv6.out.find("MEMCACHE_SERVERS"), std::string::npos) << bare_ipv6.out;
  auto slash = run_clean(cmd({"lint"}), {{"CACHE_URL", "memcache://cache.internal:11211/"}});
  EXPECT_NE(slash.exit_code, 0) << slash.out;
  EXPECT_NE(slash.out.find("drop the slash"), std::string::npos) << slash.out;
}

}  // namespace
}  // namespace preflight::testing
