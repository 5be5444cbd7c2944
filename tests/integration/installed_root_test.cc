// preflight installed from its .deb into a clean Debian root, run there
// with chroot against servers on this machine's loopback. The roots are
// made with mmdebstrap by scripts/clean-roots.sh, which runs these tests
// once per root and package, naming the root in PREFLIGHT_INSTALLED_ROOT.
// Skipped otherwise.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "certs.h"
#include "chroot_run.h"
#include "fixture_server.h"
#include "postgres_server.h"
#include "process.h"
#include "redis_server.h"
#include "tls_server.h"

namespace preflight::testing {
namespace {

namespace fs = std::filesystem;

class InstalledRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* root = std::getenv("PREFLIGHT_INSTALLED_ROOT");
    if (!root || !*root) GTEST_SKIP() << "PREFLIGHT_INSTALLED_ROOT names no root (scripts/clean-roots.sh sets it)";
    root_ = root;
    ASSERT_TRUE(fs::exists(root_ + "/usr/bin/preflight")) << "preflight is not installed in " << root_;
  }

  // Runs the installed preflight with `args`, `config` written to
  // /tmp/preflight-test.json in the root.
  ProcessResult run_inside(const std::string& config, std::vector<std::string> args) {
    std::ofstream(root_ + "/tmp/preflight-test.json") << config;
    std::vector<std::string> command = {"/usr/bin/preflight"};
    command.insert(command.end(), args.begin(), args.end());
    command.insert(command.end(), {"-c", "/tmp/preflight-test.json"});
    return run_in_root({.root = root_, .command = command, .env = {{"REDIS_HOST", "your-redis-instance-ip"}},
                        .limit = std::chrono::seconds(60)});
  }

  std::string root_;
};

TEST_F(InstalledRoot, LintFindsThePlaceholderOffline) {
  auto r = run_inside(R"({"phases": [{"name": "cache", "checks": [
      {"name": "redis", "type": "redis", "url": "redis://${REDIS_HOST}:6379/0"}]}]})", {"lint"});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("placeholder"), std::string::npos) << r.out;
}

// The image's own CA bundle verifies the server: the test CA is appended
// to the root's bundle, and the check names no ca_file.
TEST_F(InstalledRoot, PostgresRedisAndHttpsWithTheRootsCaBundlePass) {
  PostgresServer pg;
  if (!pg.unavailable_reason().empty()) GTEST_SKIP() << pg.unavailable_reason();
  RedisServer redis;
  if (redis.unavailable()) GTEST_SKIP() << "no redis-server";
  TempDir dir;
  TestPki pki = make_test_pki(dir);
  TlsServer https(pki.server_cert, pki.server_key);
  const std::string bundle = root_ + "/etc/ssl/certs/ca-certificates.crt";
  ASSERT_TRUE(fs::exists(bundle)) << "the root has no CA bundle (ca-certificates)";
  std::ofstream(bundle, std::ios::app) << read_text_file(pki.ca_cert);
  auto r = run_inside(fmt::format(R"({{"phases": [{{"name": "p", "timeout": "20s", "checks": [
      {{"name": "pg", "type": "postgres", "url": "postgres://postgres:{}@localhost:{}/postgres"}},
      {{"name": "redis", "type": "redis", "url": "redis://localhost:{}/0"}},
      {{"name": "https", "type": "http", "url": "https://localhost:{}/"}}]}}]}})",
                                  PostgresServer::kPassword, pg.port(), redis.port(), https.port()),
                      {});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

}  // namespace
}  // namespace preflight::testing
