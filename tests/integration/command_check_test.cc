// What exec would find out only after the checks: said before any check
// runs, with exit 126 or 127 and the cause. The commands are made here: a
// copy of a real binary with another machine type or dynamic loader
// written into its ELF header, scripts with a missing interpreter or CRLF.
#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "binary_harness.h"

namespace preflight::testing {
namespace {

// A config whose only check would take the whole 5 s phase if it ran.
constexpr const char* kSlowConfig =
    R"({"phases":[{"name":"p","timeout":"5s","checks":[{"name":"t","type":"tcp","url":"tcp://127.0.0.1:1"}]}]})";

std::string copy_executable(const TempDir& dir, const std::string& name, const std::string& from) {
  std::string path = dir.path() + "/" + name;
  std::filesystem::copy_file(from, path);
  chmod(path.c_str(), 0755);
  return path;
}

void patch(const std::string& path, size_t offset, const std::string& bytes) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Where /bin/true's PT_INTERP string is (it is a dynamically linked ELF).
size_t interpreter_offset(const std::string& path) {
  std::string bytes = read_text_file(path);
  return bytes.find("/lib64/ld-linux-x86-64.so.2");
}

class CommandCheck : public ::testing::Test {
 protected:
  ProcessResult run_with(const std::string& command) {
    auto config = dir.write("c.json", kSlowConfig);
    return run_clean(cmd({"-c", config, "--", command}));
  }
  TempDir dir;
};

TEST_F(CommandCheck, AnotherMachinesBinaryIs126BeforeAnyCheckRuns) {
  auto arm = copy_executable(dir, "server", "/bin/true");
  // e_machine: EM_RISCV, foreign to the amd64 and arm64 machines this runs on.
  patch(arm, 18, std::string("\xf3\x00", 2));
  auto r = run_with(arm);
  EXPECT_EQ(r.exit_code, 126) << r.err;
  EXPECT_NE(r.err.find("built for RISC-V (riscv64), and this machine is "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("exec format error"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--platform"), std::string::npos) << r.err;
  // The 5 s check never ran (2 s leaves room for a busy machine under ASan).
  EXPECT_LT(r.elapsed_ms, 2000);
}

TEST_F(CommandCheck, AMissingDynamicLoaderIs127AndSaysMusl) {
  auto musl = copy_executable(dir, "server", "/bin/true");
  size_t at = interpreter_offset(musl);
  if (at == std::string::npos) GTEST_SKIP() << "/bin/true has no x86-64 glibc loader path to replace";
  patch(musl, at, std::string("/lib/ld-musl-x86_64.so.1\0\0\0", 27));
  auto r = run_with(musl);
  EXPECT_EQ(r.exit_code, 127) << r.err;
  EXPECT_NE(r.err.find("needs the dynamic loader /lib/ld-musl-x86_64.so.1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("musl (Alpine)"), std::string::npos) << r.err;
}

TEST_F(CommandCheck, AScriptsMissingInterpreterAndWindowsLineEndingsAreNamed) {
  auto missing = dir.write("run.py", "#!/usr/bin/python9 -u\nprint(1)\n");
  chmod(missing.c_str(), 0755);
  auto r = run_with(missing);
  EXPECT_EQ(r.exit_code, 127) << r.err;
  EXPECT_NE(r.err.find("#!/usr/bin/python9, which this image does not have"), std::string::npos) << r.err;
  auto crlf = dir.write("run.sh", "#!/bin/sh\r\necho hi\r\n");
  chmod(crlf.c_str(), 0755);
  auto c = run_with(crlf);
  EXPECT_EQ(c.exit_code, 127) << c.err;
  EXPECT_NE(c.err.find("Windows line endings"), std::string::npos) << c.err;
}

TEST_F(CommandCheck, NotOnPathAndNotExecutableAreSaidFirst) {
  auto absent = run_with("no-such-server-binary");
  EXPECT_EQ(absent.exit_code, 127) << absent.err;
  EXPECT_NE(absent.err.find("not on PATH (/usr/bin:/bin)"), std::string::npos) << absent.err;
  EXPECT_LT(absent.elapsed_ms, 2000);
  auto plain = dir.write("notes.txt", "hello\n");
  auto denied = run_with(plain);
  EXPECT_EQ(denied.exit_code, 126) << denied.err;
  EXPECT_NE(denied.err.find("chmod +x"), std::string::npos) << denied.err;
}

TEST_F(CommandCheck, ACommandThatCanRunIsRunAfterTheChecks) {
  // /bin/sh's own ELF: the checks run (and fail here: nothing listens on :1).
  auto r = run_clean(cmd({"-c", dir.write("c.json", R"({"phases":[{"name":"p","timeout":"200ms","checks":[
      {"name":"t","type":"tcp","url":"tcp://127.0.0.1:1"}]}]})"), "--", "/bin/sh", "-c", "exit 0"}));
  EXPECT_EQ(r.exit_code, 3) << r.err;
}

// A shell's "NAME=value program" after --: exec would take the assignment
// as the program's name. Said with the name only (the value is often a
// password, and no config has been read to say so).
TEST_F(CommandCheck, AnAssignmentAsTheCommandIsNamedWithoutItsValue) {
  auto config = dir.write("c.json", kSlowConfig);
  auto r = run_clean(cmd({"-c", config, "--", "DB_PASSWORD=hunter2-value", "node", "server.js"}));
  EXPECT_EQ(r.exit_code, 127) << r.err;
  EXPECT_NE(r.err.find("starts with an assignment, DB_PASSWORD=…"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("-- env DB_PASSWORD=… PROGRAM"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("hunter2"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace preflight::testing
