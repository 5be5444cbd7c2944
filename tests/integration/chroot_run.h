// Runs a program inside a root with chroot(8), as the tests of installed and
// static builds do. The environment is clean but for `env`: this machine's
// own variables (SSL_CERT_FILE, say) name files outside the root.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "process.h"

namespace preflight::testing {

struct ChrootRun {
  std::string root;
  std::vector<std::string> command;  // inside the root
  std::map<std::string, std::string> env = {};
  uid_t uid = 0;  // 0: as root; else a user the root's /etc/passwd may not know
  std::chrono::seconds limit = std::chrono::seconds(30);
};

inline ProcessResult run_in_root(const ChrootRun& how) {
  std::vector<std::string> argv = {"chroot"};
  if (how.uid != 0) argv.push_back(fmt::format("--userspec={0}:{0}", how.uid));
  argv.push_back(how.root);
  argv.insert(argv.end(), how.command.begin(), how.command.end());
  auto env = how.env;
  env.emplace("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
  Process p(argv, env, /*clean_env=*/true);
  return p.wait(how.limit);
}

}  // namespace preflight::testing
