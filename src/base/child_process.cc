#include "base/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <string_view>

#include "base/program_path.h"

namespace preflight {
namespace {

// A file descriptor closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }

 private:
  int fd_;
};

// Waits for the child's exit where the kernel can say it (pidfd, Linux
// 5.3); -1 elsewhere, and then exit is polled in short slices.
int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
#else
  static_cast<void>(pid);
  return -1;
#endif
}

void read_available(int fd, ChildOutcome& out, size_t max_output, bool& open) {
  char buffer[16384];
  for (int guard = 0; guard < 64; ++guard) {  // a chatty child cannot starve the deadline
    ssize_t n = read(fd, buffer, sizeof buffer);
    if (n > 0) {
      size_t keep = std::min(static_cast<size_t>(n), max_output - std::min(max_output, out.output.size()));
      out.output.append(buffer, keep);
      if (keep < static_cast<size_t>(n)) out.output_cut = true;
      continue;
    }
    if (n == 0) open = false;
    if (n < 0 && errno == EINTR) continue;
    return;
  }
}

}  // namespace

std::optional<std::string> environment_value(const std::vector<std::string>& environment, std::string_view name) {
  for (auto it = environment.rbegin(); it != environment.rend(); ++it) {
    std::string_view entry = *it;
    if (entry.size() > name.size() && entry.starts_with(name) && entry[name.size()] == '=') {
      return std::string(entry.substr(name.size() + 1));
    }
  }
  return std::nullopt;
}

ChildOutcome run_child(const ChildSpec& spec, Deadline deadline, const CancelToken& cancel) {
  ChildOutcome out;
  if (spec.argv.empty()) {
    out.error = EINVAL;
    return out;
  }
  // On the child's PATH: the environment it gets may set its own.
  out.program = spec.argv.front();
  const std::string path = environment_value(spec.environment, "PATH").value_or("/usr/local/bin:/usr/bin:/bin");
  auto program = find_on_path(spec.argv.front(), path);
  if (!program) {
    out.error = ENOENT;
    return out;
  }
  out.program = *program;

  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) {
    out.error = errno;
    return out;
  }
  Fd read_end(pipe_fds[0]), write_end(pipe_fds[1]);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), 1);
  posix_spawn_file_actions_adddup2(&actions, write_end.get(), 2);
  // Nothing else of this process reaches the command: another check's
  // sockets stay this process's alone.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setpgroup(&attributes, 0);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> argv, envp;
  for (const auto& a : spec.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : spec.environment) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, out.program.c_str(), &actions, &attributes, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  if (rc != 0) {
    out.error = rc;
    return out;
  }
  write_end.reset();
  Fd pidfd(open_pidfd(pid));

  bool output_open = true, exited = false;
  for (;;) {
    // A zombie keeps its pid and group: the group is killed before the
    // leader is reaped, so the kill cannot reach a reused pid.
    if (!exited) {
      siginfo_t info{};
      if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid) exited = true;
    }
    if (exited) {
      if (output_open) read_available(read_end.get(), out, spec.max_output, output_open);
      out.end = ChildOutcome::End::exited;
      break;
    }
    if (cancel.cancelled()) {
      out.end = ChildOutcome::End::cancelled;
      break;
    }
    if (deadline.expired()) {
      out.end = ChildOutcome::End::deadline;
      break;
    }
    pollfd fds[3];
    nfds_t n = 0;
    if (output_open) fds[n++] = {read_end.get(), POLLIN, 0};
    if (pidfd.get() >= 0) fds[n++] = {pidfd.get(), POLLIN, 0};
    if (cancel.fd() >= 0) fds[n++] = {cancel.fd(), POLLIN, 0};
    int wait_ms = deadline.remaining_ms_for_poll();
    if (pidfd.get() < 0) wait_ms = std::min(wait_ms, 10);
    int ready = poll(fds, n, wait_ms);
    if (output_open && ready > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
      read_available(read_end.get(), out, spec.max_output, output_open);
    }
  }
  kill(-pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (out.end == ChildOutcome::End::exited) {
    if (WIFSIGNALED(status)) {
      out.end = ChildOutcome::End::signalled;
      out.code = WTERMSIG(status);
    } else {
      out.code = WEXITSTATUS(status);
    }
  }
  return out;
}

}  // namespace preflight
