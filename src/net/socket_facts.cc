#include "socket_facts.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace preflight::net {

SocketFacts inspect_socket(const std::string& socket_path) {
  namespace fs = std::filesystem;
  SocketFacts facts;
  facts.socket = socket_path;
  std::error_code ec;
  facts.socket_exists = fs::exists(socket_path, ec);
  fs::path dir = fs::path(socket_path).parent_path();
  while (!dir.empty() && dir != dir.root_path() && !fs::is_directory(dir, ec)) dir = dir.parent_path();
  facts.nearest_directory = dir.empty() ? "/" : dir.string();
  if (facts.nearest_directory == "/") return facts;  // nothing of the path exists: the root's listing says nothing
  for (fs::directory_iterator it(facts.nearest_directory, ec), end; !ec && it != end; it.increment(ec)) {
    facts.entries.push_back(it->path().filename().string());
  }
  std::sort(facts.entries.begin(), facts.entries.end());
  if (facts.entries.size() > SocketFacts::kMaxEntries) facts.entries.resize(SocketFacts::kMaxEntries);
  return facts;
}

Failure with_socket_facts(Failure f, const std::string& socket_path) {
  if (f.kind != FailureKind::connection_refused || socket_path.empty()) return f;
  f.socket_facts = inspect_socket(socket_path);
  return f;
}

}  // namespace preflight::net
