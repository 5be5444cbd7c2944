// The network libraries are mapped only by runs that use the network.
#include <dlfcn.h>
#include <libpq-fe.h>

#include "binary_under_test.h"
#include "binary_harness.h"
#include "fixture_server.h"

namespace preflight::testing {
namespace {

// The dynamic loader names every library it initialises on stderr.
std::string libraries_loaded_by(const std::vector<std::string>& argv) {
  auto r = run_clean(argv, {{"LD_DEBUG", "libs"}});
  return r.err;
}

TEST(LazyLibraries, VersionLintAndAnOfflineFindingMapNoNetworkLibrary) {
  SKIP_UNLESS_DYNAMIC_BINARY();
  TempDir dir;
  std::string config = dir.write("c.json", redis_config(6379));
  std::string env = dir.write(".env", "REDIS_HOST=your-redis-instance-ip\n");
  for (const auto& argv : {cmd({"--version"}), cmd({"lint", "-c", config}), cmd({"-c", config, "-e", env})}) {
    std::string loaded = libraries_loaded_by(argv);
    ASSERT_NE(loaded.find("calling init"), std::string::npos) << "LD_DEBUG gave no trace: " << loaded.substr(0, 200);
    for (const char* lib : {"libcurl.so", "libpq.so", "libcrypto.so", "libssl.so", "libmariadb.so"}) {
      EXPECT_EQ(loaded.find(lib), std::string::npos) << argv.back() << " mapped " << lib;
    }
  }
}

TEST(LazyLibraries, AChecksRunOpensWhatItsProbesNeed) {
  SKIP_UNLESS_DYNAMIC_BINARY();
  FixtureServer health(Behaviour::http, {.http = [](int, const std::string&) { return http_response(200, "ok"); }});
  TempDir dir;
  std::string config = dir.write("c.json", fmt::format(R"({{"phases":[{{"name":"p","checks":[
    {{"name":"h","type":"http","url":"http://127.0.0.1:{}/"}}]}}]}})", health.port()));
  std::string loaded = libraries_loaded_by(cmd({"-c", config}));
  EXPECT_NE(loaded.find("libcurl.so"), std::string::npos);
  EXPECT_EQ(loaded.find("libpq.so"), std::string::npos) << "no postgres check, no libpq";
  EXPECT_EQ(loaded.find("libmariadb.so"), std::string::npos) << "no mysql check, no libmariadb";
}

// libpq hidden in a private mount namespace (needs root): a bind mount of
// /dev/null over the file the loader would open.
TEST(LazyLibraries, AMissingLibraryIsNamedWithItsPackage) {
  SKIP_UNLESS_DYNAMIC_BINARY();
  TempDir dir;
  std::string config = dir.write("pg.json", R"({"phases":[{"name":"db","timeout":"1s","checks":[
    {"name":"pg","type":"postgres","url":"postgres://u:p@127.0.0.1:1/db"}]}]})");
  auto probe = run_clean({"unshare", "--mount", "true"});
  if (probe.exit_code != 0) GTEST_SKIP() << "no private mount namespace here: " << probe.err;
  Dl_info libpq{};  // this test program links libpq: where the loader found it
  ASSERT_NE(dladdr(reinterpret_cast<void*>(&PQlibVersion), &libpq), 0);
  std::string script = fmt::format("mount --bind /dev/null \"$(readlink -f {2})\" && {0} --version && {0} -c {1}",
                                   binary_under_test(), config, libpq.dli_fname);
  auto r = run_clean({"unshare", "--mount", "bash", "-c", script}, {}, std::chrono::seconds(20));
  EXPECT_NE(r.out.find("preflight "), std::string::npos) << "--version needs no libpq: " << r.err;
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("libpq.so.5"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("reinstall libpq5"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace preflight::testing
