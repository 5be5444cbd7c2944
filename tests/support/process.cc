#include "process.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "spawner.h"

extern char** environ;

namespace preflight::testing {

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "preflight-test-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
  std::filesystem::path p = std::filesystem::path(path_) / name;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
  return p.string();
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int free_port() {
  // CLOEXEC: a child started by another thread meanwhile would keep the
  // port bound, and the server it was picked for could not bind it.
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

bool port_accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

bool unix_socket_accepts(const std::string& path) {
  sockaddr_un addr{};
  if (path.size() >= sizeof addr.sun_path) return false;
  addr.sun_family = AF_UNIX;
  path.copy(addr.sun_path, path.size());
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

Process::Process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                 bool clean_env) {
  // Under $TMPDIR: a test can then remove what a process it killed left.
  std::string dir_tmpl = (std::filesystem::temp_directory_path() / "preflight-proc-XXXXXX").string();
  if (mkdtemp(dir_tmpl.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = dir_tmpl;

  std::map<std::string, std::string> merged;
  if (!clean_env) {
    for (char** e = environ; *e; ++e) {
      std::string entry(*e);
      auto eq = entry.find('=');
      if (eq != std::string::npos) merged[entry.substr(0, eq)] = entry.substr(eq + 1);
    }
  }
  for (const auto& [k, v] : env) merged[k] = v;
  ChildSpec spec{.argv = argv, .stdout_path = dir_ + "/out", .stderr_path = dir_ + "/err"};
  for (const auto& [k, v] : merged) spec.env.push_back(k + "=" + v);

  start_ = std::chrono::steady_clock::now();
  try {
    pid_ = spawn_child(spec);
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw;
  }
}

Process::~Process() {
  if (!reaped_ && pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, &status_, 0);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void Process::signal(int sig) const {
  if (!reaped_) kill(pid_, sig);
}

bool Process::exited() {
  if (reaped_) return true;
  if (waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
  return reaped_;
}

ProcessResult Process::wait(std::chrono::milliseconds limit) {
  auto give_up = std::chrono::steady_clock::now() + limit;
  ProcessResult result;
  while (!exited()) {
    if (std::chrono::steady_clock::now() >= give_up) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status_, 0);
      reaped_ = true;
      result.exit_code = -1;
      result.out = read_text_file(dir_ + "/out");
      result.err = read_text_file(dir_ + "/err");
      return result;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  result.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
  result.exit_code = WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
  result.out = read_text_file(dir_ + "/out");
  result.err = read_text_file(dir_ + "/err");
  return result;
}

ProcessResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                  std::chrono::milliseconds limit) {
  Process p(argv, env);
  return p.wait(limit);
}

}  // namespace preflight::testing
