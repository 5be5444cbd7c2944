// The spawner: a test process's children die with it, not with the thread
// that asked for them; and a child either runs or is an error.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include <cerrno>
#include <chrono>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "process.h"

namespace preflight::testing {
namespace {

using namespace std::chrono_literals;

// While it lives, this process adopts its descendants' orphans, so that a
// test can reap a grandchild and ask how it died.
class Subreaper {
 public:
  Subreaper() { ok_ = prctl(PR_SET_CHILD_SUBREAPER, 1) == 0; }
  ~Subreaper() { prctl(PR_SET_CHILD_SUBREAPER, 0); }
  Subreaper(const Subreaper&) = delete;
  Subreaper& operator=(const Subreaper&) = delete;
  bool ok() const { return ok_; }

 private:
  bool ok_ = false;
};

// The PID `writer` put in `path`; -1 when it exited or wrote none in 10 s.
pid_t wait_for_pid_file(const std::string& path, Process& writer) {
  // Bounded: a helper that fails to start must fail the test, not hang it.
  for (int i = 0; i < 1000; ++i) {
    std::ifstream in(path);
    pid_t pid = -1;
    if (in >> pid) return pid;
    if (writer.exited()) return -1;
    std::this_thread::sleep_for(10ms);
  }
  return -1;
}

// True while `pid` exists and is not a zombie (dead, not yet reaped).
bool running(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  std::getline(in, stat);
  auto paren = stat.rfind(')');  // the name before it may hold spaces
  return paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] != 'Z' && stat[paren + 2] != 'X';
}

TEST(Spawner, AChildDiesWhenTheTestProcessThatStartedItIsKilled) {
  Subreaper subreaper;
  ASSERT_TRUE(subreaper.ok());
  TempDir dir;  // the helper's TMPDIR: what its killed Process leaves goes with it
  const std::string pid_file = dir.path() + "/sleeper.pid";
  Process parent({SPAWNING_PARENT, pid_file}, {{"TMPDIR", dir.path()}});
  const pid_t sleeper = wait_for_pid_file(pid_file, parent);
  ASSERT_GT(sleeper, 0) << parent.wait(1s).err;
  EXPECT_TRUE(running(sleeper)) << "dead before its parent: the helper started it from a thread that has ended";

  parent.signal(SIGKILL);  // what a ctest timeout does to a test binary
  parent.wait(5s);
  // Bounded: without the parent-death signal (the bug under test) the
  // sleeper lives on for 60 s and this loop would wait for it.
  int status = 0;
  bool reaped = false;
  for (int i = 0; i < 500 && !reaped; ++i) {
    reaped = waitpid(sleeper, &status, WNOHANG) == sleeper;
    if (!reaped) std::this_thread::sleep_for(10ms);
  }
  if (!reaped) {  // stopped by PID all the same
    kill(sleeper, SIGKILL);
    waitpid(sleeper, nullptr, 0);
  }
  ASSERT_TRUE(reaped) << "the sleeper outlived the killed test process by 5 s";
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "wait status " << status;
}

TEST(Spawner, AChildOutlivesTheShortLivedThreadThatAskedForIt) {
  std::unique_ptr<Process> child;
  std::thread([&] { child = std::make_unique<Process>(std::vector<std::string>{"sleep", "30"}); }).join();
  // Were that thread the child's parent, its exit would bring the
  // parent-death signal within milliseconds: 300 ms shows none came.
  for (int i = 0; i < 30; ++i) {
    ASSERT_FALSE(child->exited()) << "killed when the thread that started it ended";
    std::this_thread::sleep_for(10ms);
  }
}

TEST(Spawner, AChildRunsWithItsEnvironmentAndFiles) {
  auto r = run({"sh", "-c", "echo \"$GREETING\"; echo to-stderr >&2; cat; exit 3"}, {{"GREETING", "hello"}}, 10s);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "hello\n") << "stdin is /dev/null: cat ends at once";
  EXPECT_EQ(r.err, "to-stderr\n");
}

TEST(Spawner, AProgramThatCannotRunIsAnErrorWithNoChildLeft) {
  TempDir dir;
  const std::string not_executable = dir.write("not-executable", "#!/bin/sh\n");
  EXPECT_THROW(Process({"preflight-no-such-program"}), std::runtime_error);
  EXPECT_THROW(Process({dir.path() + "/missing"}), std::runtime_error);
  EXPECT_THROW(Process({not_executable}), std::runtime_error) << "EACCES, reported by the child before exec";
  errno = 0;
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD) << "a child that failed to exec is reaped";
}

}  // namespace
}  // namespace preflight::testing
