#include "base/program_path.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

namespace preflight {
namespace {

bool executable_file(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::optional<std::string> find_on_path(const std::string& command, const std::string& path) {
  if (command.find('/') != std::string::npos) return command;
  for (size_t start = 0; start <= path.size();) {
    size_t colon = std::min(path.find(':', start), path.size());
    std::string dir = path.substr(start, colon - start);
    start = colon + 1;
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + command;
    if (executable_file(candidate)) return candidate;
  }
  return std::nullopt;
}

}  // namespace preflight
