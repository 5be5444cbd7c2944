// --version: the build a user runs, told well enough to check an advisory
// against it. The expected versions come from outside the binary: git;
// pkg-config's record of the libraries installed beside it, for the dynamic
// build; the pins the static builds' sources were built from.
#include <fstream>
#include <map>
#include <regex>
#include <string>

#include <gtest/gtest.h>

#include "binary_under_test.h"
#include "process.h"

namespace preflight::testing {
namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string pkg_version(const std::string& module) {
  auto r = run({"pkg-config", "--modversion", module});
  EXPECT_EQ(r.exit_code, 0) << "pkg-config does not know " << module << ": " << r.err;
  return trimmed(r.out);
}

TEST(Version, NamesTheGitRevisionItWasBuiltFromAndItsFlavour) {
  auto r = run({binary_under_test(), "--version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_match(r.out, m, std::regex(R"(preflight \d+\.\d+\.\d+ \(git (\w+), )"
                                                         R"((dynamic: libraries opened on first use|static: all but glibc linked in|fully static)\)\n)")))
      << r.out;
  auto head = run({"git", "-C", PREFLIGHT_SOURCE_DIR, "rev-parse", "--short=12", "HEAD"});
  if (head.exit_code != 0) GTEST_SKIP() << "the source is not a git checkout: " << head.err;
  EXPECT_EQ(m[1].str(), trimmed(head.out));
}

TEST(Version, AloneItOpensNoNetworkLibrary) {
  SKIP_UNLESS_DYNAMIC_BINARY();
  // The promise of src/lazy/: a run that needs no network maps none of
  // libcurl, libpq, libcrypto or libmariadb (~13 ms of loading).
  auto r = run({binary_under_test(), "--version"}, {{"LD_DEBUG", "files"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_NE(r.err.find("file="), std::string::npos) << "the loader printed nothing: the test would prove nothing";
  for (const char* lib : {"libcurl", "libpq", "libcrypto", "libmariadb"}) {
    EXPECT_EQ(r.err.find(std::string("file=") + lib), std::string::npos) << lib << " was loaded";
  }
}

// scripts/static-deps.pins, as shell assignments.
std::map<std::string, std::string> static_deps_pins() {
  std::ifstream in(std::string(PREFLIGHT_SOURCE_DIR) + "/scripts/static-deps.pins");
  std::map<std::string, std::string> pins;
  std::string line;
  while (std::getline(in, line)) {
    auto eq = line.find('=');
    if (line.empty() || line[0] == '#' || eq == std::string::npos) continue;
    pins[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return pins;
}

TEST(Version, VerboseListsEveryLinkedLibraryAtTheVersionInstalled) {
  SKIP_UNLESS_DYNAMIC_BINARY();
  auto r = run({binary_under_test(), "--version", "-v"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& [name, module] : std::initializer_list<std::pair<std::string, std::string>>{
           {"libcurl ", "libcurl"},
           {"libpq ", "libpq"},
           {"OpenSSL ", "openssl"},
           {"MariaDB Connector/C ", "libmariadb"},
           {"hiredis ", "hiredis"}}) {
    std::string line = name + pkg_version(module);
    EXPECT_TRUE(r.out.find("\n" + line + " ") != std::string::npos || r.out.find("\n" + line + "\n") != std::string::npos)
        << "no line \"" << line << "\" in:\n" << r.out;
  }
}

// A static build carries its libcurl and libpq: their versions are the
// pinned Debian sources', named as an advisory names them.
TEST(Version, AStaticBuildNamesTheDebianSourcesItsLibrariesCameFrom) {
  if (binary_under_test_is_dynamic()) GTEST_SKIP() << "the dynamic build links nothing in";
  auto pins = static_deps_pins();
  ASSERT_FALSE(pins["CURL_DEBIAN"].empty()) << "scripts/static-deps.pins unreadable";
  auto r = run({binary_under_test(), "--version", "-v"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const std::string& line : {"\nlibcurl " + pins["CURL_UPSTREAM"] + " ", "\nlibpq " + pins["PG_UPSTREAM"] + "\n",
                                  pins["CURL_SOURCE"] + " " + pins["CURL_DEBIAN"] + " (source build)",
                                  pins["PG_SOURCE"] + " " + pins["PG_DEBIAN"] + " (source build)", std::string("libssl-dev ")}) {
    EXPECT_NE(r.out.find(line), std::string::npos) << "no \"" << line << "\" in:\n" << r.out;
  }
}

}  // namespace
}  // namespace preflight::testing
