// Runs the preflight binary in a user, network and mount namespace whose
// /etc/resolv.conf names a name server of the test's own, a Python script
// on the namespace's 127.0.0.1:53: a resolver that stalls, or answers as
// the test needs, without touching the machine's.
#pragma once

#include <optional>
#include <string>

#include "binary_under_test.h"
#include "binary_harness.h"

namespace preflight::testing {

// The script binds UDP 127.0.0.1:53, then creates the file named by its
// first argument (the binary starts only then: a query before the bind is
// refused at once, which once passed for a fast "cannot resolve" on a busy
// machine), then serves. nullopt when this machine has no such namespaces.
inline std::optional<ProcessResult> run_with_name_server(const std::string& name_server_py, const std::string& config_json,
                                                         const std::string& preflight_args = "-o json") {
  auto probe = run({"/usr/bin/unshare", "--user", "--map-root-user", "--net", "--mount", "/bin/true"}, {}, std::chrono::seconds(10));
  if (probe.exit_code != 0) return std::nullopt;
  TempDir dir;
  dir.write("config.json", config_json);
  dir.write("name_server.py", name_server_py);
  const std::string script = R"(set -e
ip link set lo up
echo "nameserver 127.0.0.1" > "$DIR/resolv.conf"
echo "hosts: files dns" > "$DIR/nsswitch.conf"
mount --bind "$DIR/resolv.conf" /etc/resolv.conf
mount --bind "$DIR/nsswitch.conf" /etc/nsswitch.conf
python3 "$DIR/name_server.py" "$DIR/bound" &
server=$!
for i in $(seq 100); do [ -e "$DIR/bound" ] && break; sleep 0.05; done
set +e
"$PREFLIGHT" -c "$DIR/config.json" )" + preflight_args + R"(
code=$?
kill $server
exit $code
)";
  return run({"/usr/bin/unshare", "--user", "--map-root-user", "--net", "--mount", "/bin/sh", "-c", script},
             {{"DIR", dir.path()}, {"PREFLIGHT", binary_under_test()}}, std::chrono::seconds(60));
}

}  // namespace preflight::testing
