// The file check through the binary: a mounted secret, a socket, a marker
// an init container writes. Each expectation where it holds and where it
// does not; the content of a file is never shown; the path's provenance is
// in the hint; a malformed check is exit 2.
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

#include "as_user.h"
#include "binary_harness.h"

namespace preflight::testing {
namespace {

std::string file_config(TempDir& dir, const std::string& check_fields, const std::string& timeout = "300ms") {
  return one_check_config(dir, "f", "file", check_fields, timeout);
}

TEST(FileType, EachExpectationHoldsOrSaysWhatItFound) {
  TempDir dir;
  const std::string d = dir.path();
  dir.write("secret", std::string(kCanary) + "-content ready");
  chmod((d + "/secret").c_str(), 0600);
  dir.write("empty", "");
  std::filesystem::create_directory(d + "/emptydir");
  dir.write("old", "x");
  const auto an_hour_ago = std::filesystem::file_time_type::clock::now() - std::chrono::hours(1);
  std::filesystem::last_write_time(d + "/old", an_hour_ago);
  struct Row {
    std::string fields;
    std::string said;  // "" passes
  };
  const std::vector<Row> rows = {
      {fmt::format(R"("path":"{}/secret")", d), ""},
      {fmt::format(R"("path":"{}/secret","expect":{{"kind":"file","non_empty":true,"mode":"0600","max_age":"10m"}})", d), ""},
      {fmt::format(R"("path":"{}","expect":{{"kind":"dir","non_empty":true}})", d), ""},
      {fmt::format(R"("path":"{}/secret","expect":{{"contains":"ready"}})", d), ""},
      {fmt::format(R"("path":"{}/absent")", d), fmt::format("{0}/absent does not exist (the directory {0} does, without it)", d)},
      {fmt::format(R"("path":"{}/volume/absent")", d),
       fmt::format("{0}/volume/absent does not exist, nor does {0}/volume (the nearest directory that exists is {0})", d)},
      // Up to the root: a volume under a directory the image does not have.
      {R"("path":"/no-such-volume-7f3a/migrated")",
       "/no-such-volume-7f3a/migrated does not exist, nor does /no-such-volume-7f3a (the nearest directory that exists is /)"},
      {fmt::format(R"("path":"{}/secret","expect":{{"kind":"dir"}})", d), "/secret is a regular file, not a directory"},
      {fmt::format(R"("path":"{}/empty","expect":{{"non_empty":true}})", d), "/empty is empty (0 bytes)"},
      {fmt::format(R"("path":"{}/emptydir","expect":{{"non_empty":true}})", d), "/emptydir is an empty directory"},
      {fmt::format(R"("path":"{}/secret","expect":{{"mode":"0644"}})", d), "/secret has mode 0600, expected 0644"},
      {fmt::format(R"("path":"{}/old","expect":{{"max_age":"10m"}})", d), "/old was last modified 36"},
      {fmt::format(R"("path":"{}/secret","expect":{{"contains":"green"}})", d),
       "/secret does not contain \"green\" (its content is not shown: it may be a secret; 30 bytes)"},
  };
  for (const Row& row : rows) {
    auto r = run_clean(cmd({"-c", file_config(dir, row.fields)}));
    EXPECT_EQ(r.exit_code, row.said.empty() ? 0 : 3) << row.fields << "\n" << r.out << r.err;
    if (!row.said.empty()) {
      EXPECT_NE(r.out.find(row.said), std::string::npos) << row.fields << "\n" << r.out;
    }
    expect_no_canary(row.fields, r.out + r.err);
  }
}

TEST(FileType, ASocketIsSeenAsOne) {
  TempDir dir;
  const std::string path = dir.path() + "/app.sock";
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  ASSERT_LT(path.size(), sizeof addr.sun_path);
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  auto ok = run_clean(cmd({"-c", file_config(dir, fmt::format(R"("path":"{}","expect":{{"kind":"socket"}})", path))}));
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  auto not_a_file = run_clean(cmd({"-c", file_config(dir, fmt::format(R"("path":"{}","expect":{{"kind":"file"}})", path))}));
  EXPECT_NE(not_a_file.out.find("app.sock is a socket, not a regular file"), std::string::npos) << not_a_file.out;
  close(fd);
}

// Bug guarded: a missing file taken as final, when an init container is
// about to write it.
TEST(FileType, AFileWrittenWhileItWaitsPasses) {
  TempDir dir;
  const std::string marker = dir.path() + "/migrated";
  const std::string config = file_config(dir, fmt::format(R"("path":"{}")", marker), "10s");
  std::thread writer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    dir.write("migrated", "done");
  });
  auto r = run_clean(cmd({"-c", config}));
  writer.join();
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST(FileType, TheHintNamesWhereThePathCameFrom) {
  TempDir dir;
  dir.write("app.env", "DB_PASSWORD_PATH=" + dir.path() + "/secrets/db-password\n");
  auto r = run_clean(cmd({"-c", file_config(dir, R"("path":"${DB_PASSWORD_PATH}")"), "-e", dir.path() + "/app.env"}));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("the path (from DB_PASSWORD_PATH, " + dir.path() + "/app.env:1) is where the file is expected"),
            std::string::npos)
      << r.out;
}

TEST(FileType, AFileThisUserCannotReadSaysWhoOwnsIt) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to run preflight as another user";
  TempDir dir;
  chmod(dir.path().c_str(), 0755);
  dir.write("secret", kCanary);
  chmod((dir.path() + "/secret").c_str(), 0600);
  const std::string config = file_config(dir, fmt::format(R"("path":"{}/secret")", dir.path()));
  chmod(config.c_str(), 0644);
  auto r = run_clean(as_user("nobody", "nogroup", cmd({"-c", config})));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE(r.out.find("/secret is a regular file that this user (uid 65534) cannot read: Permission denied (mode 0600, owner uid 0)"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("give it read access"), std::string::npos) << r.out;
}

TEST(FileType, AMalformedCheckIsExitTwoNamingWhereItIsWritten) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> rows = {
      {R"("url":"file:///x","path":"/x")", "/phases/0/checks/0/url: a file check connects to nothing and has no url"},
      {R"("expect":{"kind":"file"})", "path: expected the file's path, a non-empty string"},
      {R"("path":"/x","expect":{"kind":"pipe"})", R"(expect/kind: expected "file", "dir" or "socket", got "pipe")"},
      {R"("path":"/x","expect":{"mode":"rw-------"})", "expect/mode: expected octal permission bits"},
      {R"("path":"/x","expect":{"mode":600})", "expect/mode: expected octal permission bits"},
      {R"("path":"/x","expect":{"max_age":"soon"})", R"(expect/max_age: expected a duration such as "10m", got "soon")"},
      {R"("path":"/x","expect":{"owner":"app"})", "expect/owner: unknown key (allowed: kind, non_empty, max_age, mode, contains)"},
  };
  for (const auto& [fields, said] : rows) expect_lint_refuses(file_config(dir, fields), said, fields);
}

}  // namespace
}  // namespace preflight::testing
