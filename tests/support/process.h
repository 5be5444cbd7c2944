// Child processes for tests: started by the spawner thread (spawner.h), so
// they die with the test process; always stopped by PID, every wait bounded.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace preflight::testing {

struct ProcessResult {
  int exit_code = -1;  // 128+N when killed by signal N; -1 if it had to be killed
  std::string out;
  std::string err;
  double elapsed_ms = 0;
};

// A running child whose stdout and stderr go to files in a temp dir.
class Process {
 public:
  // env entries replace the whole environment when `clean_env` is true,
  // else they are added to (and override) this process's environment.
  Process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
          bool clean_env = false);
  ~Process();  // SIGKILLs and reaps it if still running
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int sig) const;
  // Waits at most `limit`; on timeout kills the child and returns exit_code -1.
  ProcessResult wait(std::chrono::milliseconds limit = std::chrono::seconds(30));
  // Non-blocking: true once it has exited.
  bool exited();

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = 0;
  std::string dir_;
  std::chrono::steady_clock::time_point start_;
};

// Runs argv to completion (bounded) and returns what it printed.
ProcessResult run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env = {},
                  std::chrono::milliseconds limit = std::chrono::seconds(30));

// A fresh temporary directory, removed by the destructor.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes a file below the directory and returns its path.
  std::string write(const std::string& name, const std::string& content) const;

 private:
  std::string path_;
};

std::string read_text_file(const std::string& path);

// A loopback TCP port that was free a moment ago, for a server about to
// listen on it. Another test may take it meanwhile: for a port that must
// stay refused, hold a RefusedPort (refused_port.h) instead.
int free_port();

// True when something accepts TCP connections on 127.0.0.1:port.
bool port_accepts(int port);

// True when something accepts connections on the Unix socket at `path`:
// the file exists from bind(), connections succeed only after listen().
bool unix_socket_accepts(const std::string& path);

}  // namespace preflight::testing
