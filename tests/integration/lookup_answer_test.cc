// A check whose host lookup fails says what the name server answered, which
// getaddrinfo folds into "cannot resolve": the binary runs in a user+network+
// mount namespace whose /etc/resolv.conf names a fixture answering NXDOMAIN,
// SERVFAIL or "no such record" by name.
#include <gtest/gtest.h>

#include "name_server_namespace.h"

namespace preflight::testing {
namespace {

constexpr const char* kConfig = R"({"phases":[{"name":"p","timeout":"2s","checks":[
  {"name":"gone","type":"redis","url":"redis://gone.preflight.internal:6379"},
  {"name":"broken","type":"http","url":"http://broken.preflight.internal/health"},
  {"name":"mx-only","type":"postgres","url":"postgresql://app@mx-only.preflight.internal/app"},
  {"name":"gone-tcp","type":"tcp","url":"tcp://gone.preflight.internal:5432"}]}]})";

// Answers each query by its first label: gone → NXDOMAIN, broken →
// SERVFAIL, anything else → NOERROR without records.
constexpr const char* kResponder = R"(import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
open(sys.argv[1], "w").close()
while True:
    q, peer = s.recvfrom(512)
    label = q[13:13 + q[12]].decode()
    rcode = {"gone": 3, "broken": 2}.get(label, 0)
    s.sendto(q[:2] + bytes([0x81, 0x80 | rcode]) + q[4:6] + bytes(6) + q[12:], peer)
)";

TEST(LookupAnswer, AFailedLookupSaysWhatTheNameServerAnswered) {
  auto ran = run_with_name_server(kResponder, kConfig, "-o json --once");
  if (!ran) GTEST_SKIP() << "no user and network namespaces here";
  const ProcessResult& r = *ran;
  ASSERT_EQ(r.exit_code, 3) << r.out << r.err;
  json report = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(report.is_object()) << r.out << r.err;
  std::map<std::string, json> by_name;
  for (const json& check : report["phases"][0]["checks"]) by_name[check["name"]] = check["error"];
  const std::map<std::string, std::pair<std::string, std::string>> expected = {
      {"gone", {"NXDOMAIN", "does not exist"}},
      {"gone-tcp", {"NXDOMAIN", "does not exist"}},
      {"broken", {"SERVFAIL", "may well be right"}},
      {"mx-only", {"NODATA", "has no address"}},
  };
  for (const auto& [name, want] : expected) {
    const json& error = by_name[name];
    EXPECT_EQ(error["kind"], "dns") << name << ": " << error.dump(2);
    EXPECT_EQ(error["code"], want.first) << name << ": " << error.dump(2);
    const std::string text = error["message"].get<std::string>() + " | " + error["hint"].get<std::string>();
    EXPECT_NE(text.find(want.second), std::string::npos) << name << ": " << error.dump(2);
  }
}

}  // namespace
}  // namespace preflight::testing
