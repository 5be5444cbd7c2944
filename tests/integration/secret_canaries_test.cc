// A canary secret through paths where a server or the user could echo it:
// an HTTP server that reflects its request (bearer token, Basic auth, a
// token in the query) into a 503 body, a Secret Manager payload used as a
// Redis password, a bare --set argument, warn mode and lint. The canary must
// never appear, nor its URL-encoded or base64 forms.
#include <gtest/gtest.h>

#include "binary_harness.h"
#include "fixture_server.h"
#include "redis_server.h"

namespace preflight::testing {
namespace {

void expect_clean(const std::string& where, const std::string& text) {
  expect_no_canary(where, text);
  // HTTP Basic auth sends base64("user:password").
  std::string basic = base64_encode(std::string("svc:") + kCanary);
  EXPECT_EQ(text.find(basic.substr(0, 16)), std::string::npos) << where << " leaks the Basic credentials:\n" << text;
}

TEST(SecretCanaries, AServerThatEchoesItsRequestCannotLeakTheToken) {
  // The reply starts with the credential-carrying line, so that even the
  // short body excerpt of a failure message would show it.
  FixtureServer echo(Behaviour::http, {.http = [](int, const std::string& request) {
    auto auth = request.find("Authorization: ");
    std::string line = auth == std::string::npos ? request.substr(0, request.find('\r'))
                                                 : request.substr(auth, request.find('\r', auth) - auth);
    return http_response(503, line + "\n" + request);
  }});
  TempDir dir;
  auto config = dir.write("cfg.json", fmt::format(R"({{"phases":[{{"name":"services","timeout":"300ms","checks":[
      {{"name":"bearer","type":"http","url":"http://127.0.0.1:{0}/health","headers":{{"Authorization":"Bearer ${{API_TOKEN}}"}}}},
      {{"name":"basic","type":"http","url":"http://svc:${{API_TOKEN}}@127.0.0.1:{0}/health"}},
      {{"name":"query","type":"http","url":"http://127.0.0.1:{0}/health?token=${{API_TOKEN}}"}}]}}]}})", echo.port()));
  auto report = dir.path() + "/report";
  std::map<std::string, std::string> env = {{"API_TOKEN", kCanary}};
  for (const auto& argv : std::vector<std::vector<std::string>>{
           cmd({"-c", config, "-vv"}),
           cmd({"-c", config, "-vv", "--log-format", "json", "-o", "json", "--report-file", report + ".json"}),
           cmd({"-c", config, "-o", "junit", "--report-file", report + ".xml", "--report-format", "junit"}),
           cmd({"-c", config, "--mode", "warn", "-vv", "--", "/bin/true"}),
           cmd({"-c", config, "--once", "--keep-going"}),
       }) {
    auto r = run_clean(argv, env);
    EXPECT_EQ(r.exit_code, argv.size() > 4 && argv[3] == "--mode" ? 0 : 3) << r.out << r.err;
    EXPECT_NE((r.out + r.err).find("503"), std::string::npos) << "the failure itself is reported";
    expect_clean("stdout", r.out);
    expect_clean("stderr", r.err);
  }
  expect_clean("json report", read_text_file(report + ".json"));
  expect_clean("junit report", read_text_file(report + ".xml"));
}

TEST(SecretCanaries, ASecretManagerPayloadUsedAsAPasswordNeverAppears) {
  RedisServer redis({.password = "not-the-canary"});
  TempDir dir;
  auto secrets = dir.write("redis-password.json", fmt::format(
      R"({{"name":"projects/p/secrets/redis-password/versions/3","payload":{{"data":"{}"}}}})", base64_encode(kCanary)));
  auto config = dir.write("cfg.json", fmt::format(
      R"({{"phases":[{{"name":"cache","checks":[{{"name":"redis","type":"redis","url":"redis://127.0.0.1:{}","password":"${{REDIS_PASSWORD}}"}}]}}]}})",
      redis.port()));
  for (const auto& argv : std::vector<std::vector<std::string>>{cmd({"-c", config, "--secrets-file", secrets, "-vv"}),
                                                               cmd({"-c", config, "--secrets-file", secrets, "-o", "json", "--log-format", "json"}),
                                                               cmd({"lint", "-c", config, "--secrets-file", secrets, "-vv"})}) {
    auto r = run_clean(argv);
    EXPECT_EQ(r.exit_code, argv[1] == "lint" ? 0 : 3) << r.out << r.err;
    expect_clean("stdout", r.out);
    expect_clean("stderr", r.err);
  }
}

TEST(SecretCanaries, ABareSetArgumentIsNeverEchoedInTheUsageError) {
  auto r = run_clean(cmd({"--set", kCanary}));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--set expects KEY=VALUE"), std::string::npos) << r.err;
  expect_clean("stderr", r.err);
  auto trailing = run_clean(cmd({"--set", std::string("=") + kCanary}));
  EXPECT_EQ(trailing.exit_code, 2);
  expect_clean("stderr", trailing.err);
}

}  // namespace
}  // namespace preflight::testing
