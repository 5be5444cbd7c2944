// --version: the build a user runs, told well enough to check an advisory
// against it. The expected versions come from outside the binary: git, and
// pkg-config's record of the libraries installed beside it.
#include <regex>
#include <string>

#include <gtest/gtest.h>

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
  auto r = run({PREFLIGHT_BINARY, "--version"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  ASSERT_TRUE(std::regex_match(r.out, m, std::regex(R"(preflight \d+\.\d+\.\d+ \(git (\w+), dynamic: libraries opened on first use\)\n)")))
      << r.out;
  auto head = run({"git", "-C", PREFLIGHT_SOURCE_DIR, "rev-parse", "--short=12", "HEAD"});
  if (head.exit_code != 0) GTEST_SKIP() << "the source is not a git checkout: " << head.err;
  EXPECT_EQ(m[1].str(), trimmed(head.out));
}

TEST(Version, AloneItOpensNoNetworkLibrary) {
  // The promise of src/lazy/: a run that needs no network maps none of
  // libcurl, libpq, libcrypto or libmariadb (~13 ms of loading).
  auto r = run({PREFLIGHT_BINARY, "--version"}, {{"LD_DEBUG", "files"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_NE(r.err.find("file="), std::string::npos) << "the loader printed nothing: the test would prove nothing";
  for (const char* lib : {"libcurl", "libpq", "libcrypto", "libmariadb"}) {
    EXPECT_EQ(r.err.find(std::string("file=") + lib), std::string::npos) << lib << " was loaded";
  }
}

TEST(Version, VerboseListsEveryLinkedLibraryAtTheVersionInstalled) {
  auto r = run({PREFLIGHT_BINARY, "--version", "-v"});
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

}  // namespace
}  // namespace preflight::testing
