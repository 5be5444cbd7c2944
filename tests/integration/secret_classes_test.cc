// Every class of secret leak, end to end through the binary, for canaries
// of every awkward shape, in every output: text with -vv, JSON report and
// JSON logs, JUnit, --report-file, lint. Servers: a fixture HTTP server that
// echoes the bearer token raw, JSON- and HTML-escaped, trimmed, cut,
// base64-encoded and lower-cased; a fake Redis whose error quotes the
// password; a real PostgreSQL whose check query raises a NOTICE and an
// error holding the secret. Nothing may show the canary in any form a
// Redactor knows (secret_forms), nor any 5 characters of it in a row.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>

#include "binary_harness.h"
#include "certs.h"
#include "loopback_daemon.h"
#include "config/interpolate.h"
#include "fixture_server.h"
#include "postgres_server.h"
#include "process.h"
#include "redis_server.h"
#include "secret_forms.h"
#include "leak_check.h"

namespace preflight::testing {
namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Answers 500 with the bearer token echoed as the path asks.
std::string echo(const std::string& request) {
  auto at = request.find("Authorization: Bearer ");
  std::string token = at == std::string::npos ? "" : request.substr(at + 22, request.find('\r', at) - at - 22);
  std::string path = request.substr(request.find(' ') + 1);
  path = path.substr(0, path.find(' '));
  std::string body;
  if (path.starts_with("/raw")) body = "rejected token " + token;
  else if (path.starts_with("/json")) body = "{\"error\":" + nlohmann::json(token).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "}";
  else if (path.starts_with("/html")) {
    for (char c : token) body += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : c == '"' ? "&quot;" : c == '\'' ? "&#39;" : std::string(1, c);
    body = "<p>" + body + "</p>";
  } else if (path.starts_with("/cut")) body = "bad token: " + token.substr(0, token.size() * 2 / 3) + "...";
  else if (path.starts_with("/b64")) body = "seen " + base64_encode("x:" + token);
  else if (path.starts_with("/lower")) body = "token " + lower(token) + " unknown";
  return http_response(500, body);
}

class SecretClasses : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pg_ = new PostgresServer(); }
  static void TearDownTestSuite() {
    delete pg_;
    pg_ = nullptr;
  }
  static PostgresServer* pg_;
};
PostgresServer* SecretClasses::pg_ = nullptr;

TEST_F(SecretClasses, AServerEchoingTheTokenInAnyFormShowsNoneOfIt) {
  FixtureServer server(Behaviour::http, {.http = [](int, const std::string& request) { return echo(request); }});
  for (const Shape& shape : shapes()) {
    if (!shape.fits_a_header_line()) continue;
    std::string checks;
    for (const char* path : {"raw", "json", "html", "cut", "b64", "lower"}) {
      checks += fmt::format(R"({}{{"name":"{}","type":"http","url":"http://127.0.0.1:{}/{}?sig=${{API_TOKEN}}",
                             "headers":{{"Authorization":"Bearer ${{API_TOKEN}}"}},"body":"client_secret=${{API_TOKEN}}"}})",
                            checks.empty() ? "" : ",", path, server.port(), path);
    }
    TempDir dir;
    auto config = dir.write("c.json", fmt::format(R"({{"phases":[{{"name":"s","timeout":"2s","checks":[{}]}}]}})", checks));
    run_everywhere(shape, "http echo", cmd({"-c", config, "--once"}), {{"API_TOKEN", shape.canary}});
  }
}

// Credentials the server made up, which preflight was never given: masked
// by where they stand (issue 27, class 7). Each is what the named software
// sends: an implicit-grant redirect, a presigned S3 URL, a registry's
// redirect with a password, RFC 6265's Set-Cookie and an echoed Cookie,
// OAuth 1.0a's header, an RFC 7523 client assertion, a form's passcode, a
// JWT and a Google access token quoted in a 401.
TEST_F(SecretClasses, CredentialsAServerMadeUpShowNoneOfThem) {
  const std::string made_up = "Sv7madeupQx4kZ9";
  const std::string jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJTdjdtYWRldXAifQ.Sv7madeupQx4kZ9sig";
  const std::map<std::string, std::string> replies = {
      {"/implicit", http_response(302, "", "Location: https://app.example.com/cb#access_token=" + made_up + "&state=xyz\r\n")},
      {"/presigned", http_response(307, "", "Location: https://b.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F" + made_up +
                                                "&X-Amz-Signature=" + made_up + "\r\n")},
      {"/userinfo", http_response(301, "", "Location: https://deploy:" + made_up + "@registry.example.com/v2/\r\n")},
      {"/set-cookie", http_response(500, "upstream said: Set-Cookie: SID=" + made_up + "; Path=/; HttpOnly")},
      {"/cookie", http_response(500, "{\"headers\": {\"Cookie\": \"SID=" + made_up + "; lang=en\"}}")},
      {"/oauth", http_response(500, "Authorization: OAuth oauth_consumer_key=\"k\", oauth_token=\"" + made_up + "\"")},
      {"/assertion", http_response(500, "{\"client_assertion\":\"" + made_up + "\",\"client_id\":\"s6BhdRkqt3\"}")},
      {"/passcode", http_response(500, "rejected username=alice&passcode=" + made_up + "&remember=1")},
      {"/jwt", http_response(401, "invalid token " + jwt)},
      {"/google", http_response(401, "Request had invalid authentication credentials: ya29." + made_up + "a0AfB")},
  };
  FixtureServer server(Behaviour::http, {.http = [&replies](int, const std::string& request) {
                                            std::string path = request.substr(request.find(' ') + 1);
                                            path = path.substr(0, path.find(' '));
                                            auto it = replies.find(path);
                                            return it == replies.end() ? http_response(404, "") : it->second;
                                          }});
  std::string checks;
  for (const auto& [path, reply] : replies) {
    checks += fmt::format(R"({}{{"name":"{}","type":"http","url":"http://127.0.0.1:{}{}"}})", checks.empty() ? "" : ",",
                          path.substr(1), server.port(), path);
  }
  TempDir dir;
  auto config = dir.write("c.json", fmt::format(R"({{"phases":[{{"name":"s","timeout":"2s","checks":[{}]}}]}})", checks));
  for (const std::string& canary : {made_up, jwt}) {
    run_everywhere(Shape{"made up by the server", canary}, "server-made credentials", cmd({"-c", config, "--once"}), {});
  }
  // The messages still say what happened, and where the redirect went.
  auto r = run_clean(cmd({"-c", config, "--once", "-o", "json"}));
  EXPECT_NE(r.out.find("https://deploy:***@registry.example.com/v2/"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("#access_token=***&state=xyz"), std::string::npos) << r.out;
}

// grpc-message is percent-encoded on the wire: the secret is scrubbed from
// what it decodes to.
TEST_F(SecretClasses, AGrpcServerQuotingTheTokenShowsNoneOfIt) {
  TempDir pki_dir;
  TestPki pki = make_test_pki(pki_dir);
  LoopbackDaemon grpc([&](int port) {
    return std::vector<std::string>{GRPC_HEALTH_SERVER, std::to_string(port), "--tls", pki.server_cert, pki.server_key, "--token", "other"};
  });
  ASSERT_FALSE(grpc.unavailable());
  for (const Shape& shape : shapes()) {
    if (!shape.fits_a_header_line()) continue;
    TempDir dir;
    auto config = dir.write("c.json", fmt::format(R"({{"phases":[{{"name":"s","timeout":"2s","checks":[
        {{"name":"g","type":"grpc","url":"grpcs://localhost:{}","ca_file":"{}",
          "metadata":{{"authorization":"Bearer ${{API_TOKEN}}"}}}}]}}]}})",
                                                  grpc.port(), pki.ca_cert));
    run_everywhere(shape, "grpc echo", cmd({"-c", config, "--once"}), {{"API_TOKEN", shape.canary}});
  }
}

TEST_F(SecretClasses, ARedisErrorQuotingThePasswordShowsNoneOfIt) {
  for (const Shape& shape : shapes()) {
    if (!shape.fits_a_header_line()) continue;
    FixtureServer redis(Behaviour::fake_redis, {.redis_error = "ERR invalid password " + shape.canary});
    FixtureServer cut(Behaviour::fake_redis, {.redis_error = "WRONGPASS " + shape.canary.substr(0, shape.canary.size() / 2) + "..."});
    TempDir dir;
    auto config = dir.write("c.json", fmt::format(R"({{"phases":[{{"name":"c","timeout":"2s","checks":[
        {{"name":"r","type":"redis","url":"redis://127.0.0.1:{}","password":"${{REDIS_PASSWORD}}"}},
        {{"name":"cut","type":"redis","url":"redis://127.0.0.1:{}","password":"${{REDIS_PASSWORD}}"}}]}}]}})",
                                                  redis.port(), cut.port()));
    run_everywhere(shape, "redis echo", cmd({"-c", config, "--once"}), {{"REDIS_PASSWORD", shape.canary}});
  }
}

TEST_F(SecretClasses, APostgresNoticeAndErrorHoldingTheSecretShowNoneOfIt) {
  if (!pg_->unavailable_reason().empty()) GTEST_SKIP() << pg_->unavailable_reason();
  for (const Shape& shape : shapes()) {
    if (shape.name == "invalid UTF-8") continue;  // the server refuses the query text before it runs
    TempDir dir;
    auto config = dir.write("c.json", fmt::format(R"({{"phases":[{{"name":"d","timeout":"3s","checks":[
        {{"name":"pg","type":"postgres","url":"postgresql://postgres:${{PGPASSWORD}}@127.0.0.1:{}/postgres",
          "query":"DO $x$ BEGIN RAISE NOTICE '%', $c$${{API_TOKEN}}$c$; RAISE EXCEPTION 'rejected %', $c$${{API_TOKEN}}$c$; END $x$"}}]}}]}})",
                                                  pg_->port()));
    run_everywhere(shape, "postgres notice", cmd({"-c", config, "--once"}),
                   {{"API_TOKEN", shape.canary}, {"PGPASSWORD", PostgresServer::kPassword}});
  }
}

TEST_F(SecretClasses, LoadersParsersAndTheCommandLineQuoteNoneOfIt) {
  for (const Shape& shape : shapes()) {
    TempDir dir;
    // A secret on a line of its own (an unquoted multi-line key), a JSON
    // string left open around a secret, an unencoded '/' turning part of a
    // password into a port, a stray KEY=VALUE and a value after an option
    // that does not exist.
    auto env_file = dir.write("bare.env", "OK=1\n" + shape.canary + "\n");
    auto broken = dir.write("broken.json", R"({"phases":[{"name":"p","checks":[{"name":"h","type":"http","url":"http://h/","headers":{"A":"Bearer )" + shape.canary);
    run_everywhere(shape, "bare dotenv line", cmd({"-e", env_file}), {});
    run_everywhere(shape, "open JSON string", cmd({"-c", broken}), {});
    run_everywhere(shape, "stray KEY=VALUE", cmd({"DB_PASSWORD=" + shape.canary}), {});
    run_everywhere(shape, "value of an unknown option", cmd({"--password", shape.canary}), {});
    // Said before any config is read: a shell's assignment taken as the
    // command, and a command whose path holds a secret of the environment.
    run_everywhere(shape, "assignment after --", cmd({"--", "DB_PASSWORD=" + shape.canary, "node", "server.js"}), {});
    run_everywhere(shape, "command path", cmd({"--", "/opt/" + shape.canary + "/server"}), {{"API_TOKEN", shape.canary}});
    if (shape.fits_a_header_line()) {
      // A password's unescaped '$' in an env file reads as a reference.
      // (One that reads as a variable's name, ${Q9}, is one: it is named.)
      if (!looks_like_variable_name(shape.canary)) {
        auto dollar = dir.write("dollar.env", "DATABASE_URL=postgresql://app:Zx${" + shape.canary + "}w@127.0.0.1:1/app\n");
        run_everywhere(shape, "unescaped $ in a password", cmd({"lint", "-e", dollar}), {});
      }
      run_everywhere(shape, "password read as a port", cmd({"lint"}),
                     {{"AUTH_SERVICE_URL", "http://u:" + shape.canary + "/x@127.0.0.1:1/"}});
    }
  }
}

TEST_F(SecretClasses, UrlsFindingsAndLintShowNoneOfIt) {
  for (const Shape& shape : shapes()) {
    std::string encoded = percent_encode(shape.canary);
    for (const auto& env : std::vector<std::map<std::string, std::string>>{
             {{"DATABASE_URL", "postgresql://app:" + encoded + "@your-db-host:5432/app"}},
             {{"REDIS_URL", "redis://:" + encoded + "@127.0.0.1:1/0"}},
             {{"AUTH_SERVICE_URL", "http://127.0.0.1:1/x?X-Amz-Signature=" + encoded + "#access_token=" + encoded}},
             {{"AUTH_SERVICE_URL", "http://" + encoded + "@127.0.0.1:1/"}},
             {{"AUTH_SERVICE_URL", "http://127.0.0.1:1/"}, {"http_proxy", "http://u:" + encoded + "@127.0.0.1:1"}},
             {{"REDIS_URL", "redis+sentinel://:" + encoded + "@127.0.0.1:1/m?sentinel_password=" + encoded}},
             {{"DATABASE_URL", "mysql+pymysql://app:" + encoded + "@127.0.0.1:1/app?charset=utf8mb4"}},
             {{"DATABASE_URL", "jdbc:mysql://127.0.0.1:1/app?user=app&password=" + encoded + "&sslMode=REQUIRED"}},
             {{"MYSQL_HOST", "127.0.0.1"}, {"MYSQL_PORT", "1"}, {"MYSQL_PASSWORD", shape.canary}},
             {{"NATS_URL", "nats://" + encoded + "@127.0.0.1:1"}},
             {{"PAYMENTS_SERVICE_URL", "grpc://u:" + encoded + "@127.0.0.1:1/pkg.Payments"}},
             {{"CELERY_BROKER_URL", "amqp://app:" + encoded + "@127.0.0.1:1/" + encoded}},
             {{"NATS_URL", "nats://u:" + encoded + "@127.0.0.1:1, nats://127.0.0.1:2"}},
         }) {
      run_everywhere(shape, "url " + env.begin()->first, cmd({"--once"}), env);
      run_everywhere(shape, "lint " + env.begin()->first, cmd({"lint"}), env);
    }
  }
}

// A secret that is also a word of the output: the output's own words stay
// (masking them would say what the secret is, and break the JSON).
TEST_F(SecretClasses, ASecretEqualToAnOutputWordLeavesTheOutputIntact) {
  FixtureServer redis(Behaviour::fake_redis, {.redis_error = "WRONGPASS invalid password failed"});
  auto r = run_clean(cmd({"--once", "-o", "json"}), {{"REDIS_URL", fmt::format("redis://127.0.0.1:{}", redis.port())},
                                                      {"REDIS_PASSWORD", "failed"}});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  auto report = nlohmann::json::parse(r.out, nullptr, false);
  ASSERT_FALSE(report.is_discarded()) << r.out;
  EXPECT_EQ(report["status"], "failed");
  const auto& error = report["phases"][1]["checks"][0]["error"];
  EXPECT_EQ(error["message"].get<std::string>().find("password failed"), std::string::npos) << error;
  EXPECT_NE(error["message"].get<std::string>().find("password ***"), std::string::npos) << error;
}

// A well-known password ("redis", "password") would be told by its mask:
// "***://", "FATAL:  *** authentication failed". The output keeps its
// words, and a warning says the password is guessable (issue 27, class 10).
TEST_F(SecretClasses, AWellKnownPasswordIsNotToldByItsMask) {
  FixtureServer redis(Behaviour::fake_redis, {.redis_error = "WRONGPASS invalid username-password pair or user is disabled."});
  for (const auto& mode : {std::vector<std::string>{"--once"}, std::vector<std::string>{"lint"}}) {
    auto r = run_clean(cmd({mode.front()}), {{"REDIS_URL", fmt::format("redis://127.0.0.1:{}/0", redis.port())},
                                             {"REDIS_PASSWORD", "redis"}});
    const std::string all = r.out + r.err;
    EXPECT_EQ(all.find("***://"), std::string::npos) << all;
    EXPECT_NE(all.find("redis://"), std::string::npos) << all;
    EXPECT_NE(all.find("the password (from REDIS_PASSWORD, env) is a well-known default password"), std::string::npos) << all;
  }
  if (pg_->unavailable_reason().empty()) {
    auto r = run_clean(cmd({"--once"}), {{"DATABASE_URL", fmt::format("postgresql://postgres:password@127.0.0.1:{}/postgres", pg_->port())}});
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.out.find("password authentication failed for user"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("postgresql://postgres:***@127.0.0.1"), std::string::npos) << r.out;
  }
}

}  // namespace
}  // namespace preflight::testing
