#include "spawner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace preflight::testing {
namespace {

// An open descriptor, closed by the destructor.
struct Fd {
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int fd;
};

// Everything the child needs between fork and exec, made before the fork:
// the child of a multi-threaded process may only make async-signal-safe
// calls (no allocation, no lock), so it only reads this.
struct Prepared {
  std::string path;
  std::vector<std::string> strings;  // argv, then env; argv and envp point into it
  std::vector<char*> argv, envp;
  int stdio[3] = {-1, -1, -1};
  sigset_t mask;  // the caller's, as posix_spawn would have left it
};

struct Forked {
  pid_t pid = -1;
  int exec_status = -1;  // read end: EOF once exec succeeded, else the child's errno
  int error = 0;
};

[[noreturn]] void report_and_exit(int status_fd) {
  int error = errno;
  // If even this fails, the parent sees EOF and then the exit status 127.
  (void)!write(status_fd, &error, sizeof error);
  _exit(127);
}

// In the child: async-signal-safe calls only.
[[noreturn]] void exec_child(const Prepared& p, pid_t spawner_pid, int status_fd) {
  // The descriptors are >= 3 (see open_high), so no dup2 undoes another.
  for (int target = 0; target < 3; ++target) {
    if (dup2(p.stdio[target], target) < 0) report_and_exit(status_fd);
  }
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) report_and_exit(status_fd);
  // The test process may have died before prctl: no signal would come then.
  if (getppid() != spawner_pid) _exit(127);
  sigprocmask(SIG_SETMASK, &p.mask, nullptr);
  execve(p.path.c_str(), p.argv.data(), p.envp.data());
  report_and_exit(status_fd);
}

Forked fork_child(const Prepared& p, pid_t self) {
  int status[2];
  if (pipe2(status, O_CLOEXEC) != 0) return {.error = errno};
  pid_t pid = fork();
  if (pid == 0) exec_child(p, self, status[1]);
  int error = errno;
  close(status[1]);
  if (pid < 0) {
    close(status[0]);
    return {.error = error};
  }
  return {.pid = pid, .exec_status = status[0]};
}

// The one thread that forks. It lives until the process exits: a child's
// parent-death signal fires when the thread that forked it ends.
class Spawner {
 public:
  Spawner() : thread_([this] { serve(); }) {}

  Forked fork_for_caller(const Prepared& p) {
    Request request{&p, {}};
    std::future<Forked> forked = request.result.get_future();
    {
      std::lock_guard lock(mu_);
      queue_.push_back(&request);
    }
    wake_.notify_one();
    return forked.get();  // prompt: the spawner only forks, it waits for nothing else
  }

 private:
  struct Request {
    const Prepared* prepared;
    std::promise<Forked> result;
  };

  void serve() {
    // Children start with every signal blocked until just before exec, so
    // no handler of the test process runs in a half-made child.
    sigset_t all;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, nullptr);
    for (;;) {  // unbounded by design: serves until the process exits
      Request* request;
      {
        std::unique_lock lock(mu_);
        wake_.wait(lock, [this] { return !queue_.empty(); });
        request = queue_.front();
        queue_.pop_front();
      }
      request->result.set_value(fork_child(*request->prepared, self_));
    }
  }

  const pid_t self_ = getpid();
  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Request*> queue_;
  std::thread thread_;  // last: starts once the members above exist
};

Spawner& spawner() {
  // Never destroyed, so never joined: static destruction at exit must not
  // stop the thread while children are still meant to be alive.
  static Spawner* instance = new Spawner;
  return *instance;
}

// posix_spawnp's search: a name with a slash is a path; else the first
// executable regular file named so in this process's PATH.
std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* env_path = std::getenv("PATH");
  const std::string dirs = env_path ? env_path : "/bin:/usr/bin";
  size_t start = 0;
  for (;;) {  // one turn per PATH entry
    size_t colon = dirs.find(':', start);
    std::string dir = dirs.substr(start, colon - start);
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    struct stat st{};
    if (stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string::npos) return {};
    start = colon + 1;
  }
}

// CLOEXEC so that no other child inherits it, and >= 3 so that the child's
// dup2 onto 0, 1 and 2 cannot overwrite one before it is copied.
int open_high(const std::string& path, int flags) {
  int fd = open(path.c_str(), flags | O_CLOEXEC, 0600);
  if (fd < 0 || fd >= 3) return fd;
  int high = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  close(fd);
  return high;
}

// The errno the child reported before exec, 0 once it has exec'd.
int exec_error(int status_fd) {
  // Bounded: a child that neither execs nor exits would hang the test.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(give_up - std::chrono::steady_clock::now());
    if (left.count() <= 0) return ETIMEDOUT;
    pollfd p{status_fd, POLLIN, 0};
    int ready = poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return ETIMEDOUT;
    int error = 0;
    ssize_t got = read(status_fd, &error, sizeof error);
    if (got < 0 && errno == EINTR) continue;
    return got == static_cast<ssize_t>(sizeof error) ? error : 0;
  }
}

std::runtime_error cannot_spawn(const std::string& name, int error) {
  return std::runtime_error("cannot spawn " + name + ": " + std::strerror(error));
}

}  // namespace

pid_t spawn_child(const ChildSpec& spec) {
  if (spec.argv.empty()) throw std::runtime_error("cannot spawn: empty argv");
  const std::string& name = spec.argv.front();
  Prepared p;
  p.path = find_program(name);
  if (p.path.empty()) throw cannot_spawn(name, ENOENT);
  p.strings = spec.argv;
  p.strings.insert(p.strings.end(), spec.env.begin(), spec.env.end());
  for (size_t i = 0; i < p.strings.size(); ++i) (i < spec.argv.size() ? p.argv : p.envp).push_back(p.strings[i].data());
  p.argv.push_back(nullptr);
  p.envp.push_back(nullptr);
  auto open_or_throw = [&](const std::string& path, int flags) {
    int fd = open_high(path, flags);
    if (fd < 0) throw std::runtime_error("cannot spawn " + name + ": " + path + ": " + std::strerror(errno));
    return fd;
  };
  Fd in(open_or_throw(spec.stdin_path, O_RDONLY));
  Fd out(open_or_throw(spec.stdout_path, O_WRONLY | O_CREAT | O_TRUNC));
  Fd err(open_or_throw(spec.stderr_path, O_WRONLY | O_CREAT | O_TRUNC));
  p.stdio[0] = in.fd;
  p.stdio[1] = out.fd;
  p.stdio[2] = err.fd;
  pthread_sigmask(SIG_SETMASK, nullptr, &p.mask);

  Forked forked = spawner().fork_for_caller(p);
  if (forked.pid < 0) throw cannot_spawn(name, forked.error);
  Fd status(forked.exec_status);
  int error = exec_error(status.fd);
  if (error != 0) {
    kill(forked.pid, SIGKILL);  // already gone unless it timed out
    waitpid(forked.pid, nullptr, 0);
    throw cannot_spawn(name, error);
  }
  return forked.pid;
}

}  // namespace preflight::testing
