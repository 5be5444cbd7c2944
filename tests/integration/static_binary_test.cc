// A static build (PREFLIGHT_STATIC, run as PREFLIGHT_BINARY_UNDER_TEST) in
// the image it is made for: a root that holds the binary and only what
// docs/install.md asks of an image (/etc/hosts, /etc/resolv.conf,
// /etc/nsswitch.conf, the CA bundle; glibc too for the GLIBC flavour),
// entered with chroot. Skipped for the dynamic build, and without root.
#include <unistd.h>

#include <filesystem>
#include <regex>
#include <set>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "binary_under_test.h"
#include "certs.h"
#include "chroot_run.h"
#include "postgres_server.h"
#include "process.h"
#include "redis_server.h"
#include "tls_server.h"

namespace preflight::testing {
namespace {

namespace fs = std::filesystem;

// The shared libraries the binary asks the loader for (readelf, not ldd:
// ldd runs the binary's loader).
std::set<std::string> needed_libraries(const std::string& binary) {
  auto r = run({"readelf", "-d", binary});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> needed;
  std::regex entry(R"(\(NEEDED\)\s+Shared library: \[([^\]]+)\])");
  for (std::sregex_iterator it(r.out.begin(), r.out.end(), entry), end; it != end; ++it) needed.insert((*it)[1]);
  return needed;
}

TEST(StaticBinary, LinksInEverythingButGlibcOrEverything) {
  if (binary_under_test_is_dynamic()) GTEST_SKIP() << "the dynamic build links its libraries at run time";
  std::set<std::string> needed = needed_libraries(binary_under_test());
  if (binary_under_test_is_fully_static()) {
    EXPECT_TRUE(needed.empty()) << "a fully static binary needs " << *needed.begin();
    auto headers = run({"readelf", "-l", binary_under_test()});
    EXPECT_EQ(headers.out.find("INTERP"), std::string::npos) << "it names a dynamic loader";
    EXPECT_NE(headers.out.find("DYN"), std::string::npos) << "not a position-independent executable";
    return;
  }
  const std::set<std::string> glibc = {"libc.so.6", "libm.so.6", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"};
  for (const auto& lib : needed) EXPECT_TRUE(glibc.count(lib)) << "links " << lib << " at run time";
  EXPECT_TRUE(needed.count("libc.so.6"));
}

// The root an image would give the binary.
class AlmostEmptyRoot : public ::testing::Test {
 protected:
  void SetUp() override {
    if (binary_under_test_is_dynamic()) GTEST_SKIP() << "the dynamic build needs its libraries installed";
    if (geteuid() != 0) GTEST_SKIP() << "chroot needs root";
    root_ = dir_.path() + "/root";
    fs::create_directories(root_ + "/etc/ssl/certs");
    fs::copy_file(binary_under_test(), root_ + "/preflight");
    dir_.write("root/etc/hosts", "127.0.0.1 localhost\n::1 localhost ip6-localhost\n");
    dir_.write("root/etc/resolv.conf", "nameserver 127.0.0.1\n");
    dir_.write("root/etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n");
    dir_.write("root/etc/passwd", "root:x:0:0:root:/root:/nonexistent\n");
    if (!binary_under_test_is_fully_static()) copy_glibc();
    pki_ = make_test_pki(dir_);
  }

  // The loader and the glibc libraries the GLIBC flavour names, from this
  // machine, at the paths the binary asks for (a distroless/base image).
  void copy_glibc() {
    auto r = run({"ldd", binary_under_test()});
    std::regex path(R"((/\S+\.so[.\d]*))");
    for (std::sregex_iterator it(r.out.begin(), r.out.end(), path), end; it != end; ++it) {
      std::string lib = (*it)[1];
      fs::create_directories(root_ + fs::path(lib).parent_path().string());
      fs::copy_file(fs::canonical(lib), root_ + lib, fs::copy_options::overwrite_existing);
    }
  }

  void trust_the_test_ca() { fs::copy_file(pki_.ca_cert, root_ + "/etc/ssl/certs/ca-certificates.crt"); }

  // Runs the binary in the root with `config` as /c.json, as `uid` (a
  // user the root's /etc/passwd may not know).
  ProcessResult run_inside(const std::string& config, uid_t uid = 0) {
    dir_.write("root/c.json", config);
    return run_in_root({.root = root_, .command = {"/preflight", "-c", "/c.json"}, .uid = uid});
  }

  std::string https_check(int port, const std::string& ca_file = "") {
    std::string ca = ca_file.empty() ? "" : fmt::format(R"(, "ca_file": "{}")", ca_file);
    return fmt::format(R"({{"name": "https", "type": "http", "url": "https://localhost:{}/"{}}})", port, ca);
  }

  std::string phases(const std::string& checks) {
    return fmt::format(R"({{"phases": [{{"name": "p", "timeout": "10s", "checks": [{}]}}]}})", checks);
  }

  TempDir dir_;
  std::string root_;
  TestPki pki_;
};

TEST_F(AlmostEmptyRoot, PostgresRedisAndHttpsPassWithTheImagesCaBundle) {
  PostgresServer pg;
  if (!pg.unavailable_reason().empty()) GTEST_SKIP() << pg.unavailable_reason();
  RedisServer redis;
  if (redis.unavailable()) GTEST_SKIP() << "no redis-server";
  TlsServer https(pki_.server_cert, pki_.server_key);
  trust_the_test_ca();
  auto r = run_inside(phases(fmt::format(
      R"({{"name": "pg", "type": "postgres", "url": "postgres://postgres:{}@localhost:{}/postgres"}},
         {{"name": "redis", "type": "redis", "url": "redis://localhost:{}/0"}}, {})",
      PostgresServer::kPassword, pg.port(), redis.port(), https_check(https.port()))));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST_F(AlmostEmptyRoot, WithoutACaBundleTheFailureNamesItAndCaFile) {
  TlsServer https(pki_.server_cert, pki_.server_key);
  auto r = run_inside(phases(https_check(https.port())));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("/etc/ssl/certs/ca-certificates.crt"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("no CA bundle"), std::string::npos) << "not an untrusted certificate: " << r.out;
  EXPECT_NE(r.out.find("install ca-certificates"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"ca_file\""), std::string::npos) << "no way out named: " << r.out;
}

TEST_F(AlmostEmptyRoot, ACaFileMissingFromTheImageIsNamed) {
  TlsServer https(pki_.server_cert, pki_.server_key);
  auto r = run_inside(phases(https_check(https.port(), "/secrets/ca.pem")));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("the CA file /secrets/ca.pem (the check's ca_file) cannot be read here"), std::string::npos)
      << r.out;
}

TEST_F(AlmostEmptyRoot, CaFileTrustsWithoutABundle) {
  TlsServer https(pki_.server_cert, pki_.server_key);
  fs::copy_file(pki_.ca_cert, root_ + "/ca.pem");
  auto r = run_inside(phases(https_check(https.port(), "/ca.pem")));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

// libpq names the connection's user after the OS user when the URL has
// none; a UID without a passwd entry (common with `docker run --user`) is a
// clear failure, not a crash.
TEST_F(AlmostEmptyRoot, APostgresUrlWithoutAUserUnderAUidWithoutAPasswdEntry) {
  PostgresServer pg;
  if (!pg.unavailable_reason().empty()) GTEST_SKIP() << pg.unavailable_reason();
  auto r = run_inside(
      phases(fmt::format(R"({{"name": "pg", "type": "postgres", "url": "postgres://localhost:{}/postgres"}})", pg.port())),
      54321);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("local user with ID 54321 does not exist"), std::string::npos) << "libpq's words: " << r.out;
  EXPECT_NE(r.out.find("invalid_config"), std::string::npos) << "not the server's fault: " << r.out;
  EXPECT_NE(r.out.find("put the user in the URL"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace preflight::testing
