// A test process in miniature, for the spawner's tests: starts `sleep`
// through Process from a short-lived thread (as some suites start their
// servers), writes the sleeper's PID to the file named by argv[1], then
// waits to be killed.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "process.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: spawning_parent PID_FILE\n");
    return 2;
  }
  using preflight::testing::Process;
  std::unique_ptr<Process> child;
  // At most 60 s: the sleeper outlives this process only if the spawner is broken.
  std::thread([&] { child = std::make_unique<Process>(std::vector<std::string>{"sleep", "60"}); }).join();
  // Renamed into place: the test never reads half a number.
  const std::string pid_file = argv[1];
  std::ofstream(pid_file + ".tmp") << child->pid() << "\n";
  std::rename((pid_file + ".tmp").c_str(), pid_file.c_str());
  // Bounded: the test kills this process within seconds.
  std::this_thread::sleep_for(std::chrono::seconds(30));
  return 0;
}
