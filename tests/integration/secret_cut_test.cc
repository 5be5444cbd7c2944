// Issue 27, class 3, through the binary against a real MariaDB server:
// MariaDB Connector/C keeps 511 bytes of a server's error and marks no
// cut. A SIGNAL whose MESSAGE_TEXT holds the token past byte 511 (512
// characters, some of two bytes) reaches the report cut inside the token,
// followed by the error's code: no telltale of the token survives.
#include <gtest/gtest.h>

#include "binary_harness.h"
#include "mariadb_server.h"

namespace preflight::testing {
namespace {

TEST(SecretCut, ATokenCutByMariadbConnectorAt511BytesShowsNoPrefix) {
  MariadbServer server;
  if (!server.unavailable_reason().empty()) GTEST_SKIP() << server.unavailable_reason();
  // 490 characters, then the token: 20 characters (510, under the
  // server's 512), 26 bytes. The client keeps 511 bytes: the token's
  // first 21, "Cq7-vxrpl-ÄÖÜ-Zk3-".
  const std::string token = "Cq7-vxrpl-\xC3\x84\xC3\x96\xC3\x9C-Zk3-mQ9t";
  const std::string pad = std::string(489, 'x') + " ";  // a word apart: the mask takes a word
  TempDir dir;
  auto config = dir.write("c.json", fmt::format(R"({{"phases":[{{"name":"db","timeout":"5s","checks":[
      {{"name":"db","type":"mysql","url":"mysql://{}:{}@127.0.0.1:{}/{}",
        "query":"SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '{}${{API_TOKEN}}'"}}]}}]}})",
                                                MariadbServer::kUser, MariadbServer::kPassword, server.port(),
                                                MariadbServer::kDatabase, pad));
  for (const std::vector<std::string>& format : {std::vector<std::string>{"-v"}, std::vector<std::string>{"-o", "json"}}) {
    std::vector<std::string> argv = cmd({"-c", config, "--once"});
    argv.insert(argv.end(), format.begin(), format.end());
    auto r = run_clean(argv, {{"API_TOKEN", token}});
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    const std::string shown = r.out + r.err;
    // The server's words arrived, cut: the padding is there.
    EXPECT_NE(shown.find(pad.substr(0, 100)), std::string::npos) << shown;
    for (size_t at = 0; at + 5 <= token.size(); ++at) {
      EXPECT_EQ(shown.find(token.substr(at, 5)), std::string::npos) << "\"" << token.substr(at, 5) << "\" in\n" << shown;
    }
  }
}

}  // namespace
}  // namespace preflight::testing
