// A server that must not run as root, started as its own user.
#pragma once

#include <unistd.h>

#include <string>
#include <vector>

namespace preflight::testing {

// argv run as `user`:`group` when this process is root, else argv itself.
// Through setpriv, which execs (the PID we hold stays the server's) and sets
// the parent-death signal again after the switch: a change of user clears
// it, and a server that drops root by itself (memcached -u, mariadbd --user)
// would outlive a killed test process (see spawner.h).
inline std::vector<std::string> as_user(const std::string& user, const std::string& group, std::vector<std::string> argv) {
  if (geteuid() != 0) return argv;
  std::vector<std::string> wrapped = {"/usr/bin/setpriv", "--reuid=" + user, "--regid=" + group,
                                      "--init-groups",    "--pdeathsig=KILL", "--"};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return wrapped;
}

}  // namespace preflight::testing
