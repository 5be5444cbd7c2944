// The network libraries are mapped only by runs that use the network.
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
  TempDir dir;
  std::string config = dir.write("c.json", redis_config(6379));
  std::string env = dir.write(".env", "REDIS_HOST=your-redis-instance-ip\n");
  for (const auto& argv : {cmd({"--version"}), cmd({"lint", "-c", config}), cmd({"-c", config, "-e", env})}) {
    std::string loaded = libraries_loaded_by(argv);
    ASSERT_NE(loaded.find("calling init"), std::string::npos) << "LD_DEBUG gave no trace: " << loaded.substr(0, 200);
    for (const char* lib : {"libcurl.so", "libpq.so", "libcrypto.so", "libssl.so"}) {
      EXPECT_EQ(loaded.find(lib), std::string::npos) << argv.back() << " mapped " << lib;
    }
  }
}

TEST(LazyLibraries, AChecksRunOpensWhatItsProbesNeed) {
  FixtureServer health(Behaviour::http, {.http = [](int, const std::string&) { return http_response(200, "ok"); }});
  TempDir dir;
  std::string config = dir.write("c.json", fmt::format(R"({{"phases":[{{"name":"p","checks":[
    {{"name":"h","type":"http","url":"http://127.0.0.1:{}/"}}]}}]}})", health.port()));
  std::string loaded = libraries_loaded_by(cmd({"-c", config}));
  EXPECT_NE(loaded.find("libcurl.so"), std::string::npos);
  EXPECT_EQ(loaded.find("libpq.so"), std::string::npos) << "no postgres check, no libpq";
}

}  // namespace
}  // namespace preflight::testing
