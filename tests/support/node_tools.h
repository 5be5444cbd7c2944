// The tools from the npm registry that scripts/install-deps.sh installs for
// the tests (knex, Sequelize), at pinned versions, in a cache shared by
// clones.
#pragma once

#include <cstdlib>
#include <string>

namespace preflight::testing {

// Their node_modules directory, for NODE_PATH and their programs in .bin/.
inline std::string node_tools_modules() {
  const char* cache = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  std::string base = cache && *cache ? cache : std::string(home ? home : "/root") + "/.cache";
  return base + "/preflight/node-tools/node_modules";
}

}  // namespace preflight::testing
