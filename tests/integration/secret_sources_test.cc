// Every source a secret is loaded from, crossed with every output (issue
// 27's matrix): the token comes from the environment, an env file, a
// mounted secrets directory, a Secret Manager response, a NAME_FILE, --set,
// a proxy's URL or a pgpass file; a server echoes it back raw,
// JSON-escaped, base64-encoded, lower-cased and cut; the text report with
// -vv, the JSON report and logs, JUnit, the report files and lint show none
// of it. Which transforms the scrubber undoes does not depend on the
// source (secret_transforms_test crosses them all with one): a source only
// decides whether the secret is registered, which this matrix checks.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <mutex>

#include "binary_harness.h"
#include "fixture_server.h"
#include "leak_check.h"

namespace preflight::testing {
namespace {

// The value after `name: ` in a request head.
std::string header_value(const std::string& request, const std::string& name) {
  auto at = request.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  at += name.size() + 4;
  return request.substr(at, request.find('\r', at) - at);
}

// Answers 500 quoting the credential the request carried, in the form the
// path asks for.
std::string echo_credential(const std::string& request) {
  std::string credential = header_value(request, "Authorization");
  if (credential.empty()) credential = header_value(request, "Proxy-Authorization");
  std::string lowered = credential;
  for (auto& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const std::string target = request.substr(request.find(' ') + 1, request.find(" HTTP/") - request.find(' ') - 1);
  std::string body;
  if (target.ends_with("/json")) body = "{\"error\":" + nlohmann::json(credential).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "}";
  else if (target.ends_with("/b64")) body = "seen " + base64_encode(credential);
  else if (target.ends_with("/lower")) body = "unknown " + lowered;
  else if (target.ends_with("/cut")) body = "bad: " + credential.substr(0, credential.size() * 2 / 3) + "...";
  else body = "rejected " + credential;
  return http_response(500, body);
}

std::string http_checks(const std::string& base, const std::string& header) {
  std::string checks;
  for (const char* form : {"raw", "json", "b64", "lower", "cut"}) {
    checks += fmt::format(R"({}{{"name":"{}","type":"http","url":"{}/{}"{}}})", checks.empty() ? "" : ",", form, base, form,
                          header.empty() ? "" : fmt::format(R"(,"headers":{{"Authorization":"{}"}})", header));
  }
  return fmt::format(R"({{"phases":[{{"name":"s","timeout":"2s","checks":[{}]}}]}})", checks);
}

std::string secret_manager_response(const std::string& id, const std::string& value) {
  return fmt::format(R"({{"name":"projects/p/secrets/{}/versions/3","payload":{{"data":"{}"}}}})", id, base64_encode(value));
}

void expect_lint_clean(const Shape& shape, const std::string& where, std::vector<std::string> argv,
                       const std::map<std::string, std::string>& env) {
  argv.insert(argv.begin() + 1, "lint");
  auto r = run_clean(argv, env);
  expect_no_leak(shape, where + " lint stdout", r.out);
  expect_no_leak(shape, where + " lint stderr", r.err);
}

TEST(SecretSources, EverySourceInEveryOutputShowsNone) {
  FixtureServer server(Behaviour::http, {.http = [](int, const std::string& request) { return echo_credential(request); }});
  const std::string base = fmt::format("http://127.0.0.1:{}", server.port());
  for (const Shape& shape : shapes()) {
    if (!shape.fits_a_header_line()) continue;
    TempDir dir;
    const std::string bearer = http_checks(base, "Bearer ${API_TOKEN}");
    auto config = dir.write("c.json", bearer);
    auto env_file = dir.write("app.env", "API_TOKEN='" + shape.canary + "'\n");
    auto secrets = dir.path() + "/secrets";
    std::filesystem::create_directories(secrets);
    dir.write("secrets/api-token", shape.canary);
    auto response = dir.write("sm.json", secret_manager_response("api-token", shape.canary));
    auto token_file = dir.write("token", shape.canary);
    struct Source {
      const char* name;
      std::vector<std::string> argv;
      std::map<std::string, std::string> env;
    };
    const std::vector<Source> sources = {
        {"environment", cmd({"-c", config, "--once"}), {{"API_TOKEN", shape.canary}}},
        {"env file", cmd({"-c", config, "--once", "-e", env_file}), {}},
        {"secrets directory", cmd({"-c", config, "--once", "-s", secrets}), {}},
        {"Secret Manager response", cmd({"-c", config, "--once", "--secrets-file", response}), {}},
        {"NAME_FILE", cmd({"-c", config, "--once"}), {{"API_TOKEN_FILE", token_file}}},
        {"--set", cmd({"-c", config, "--once", "--set", "API_TOKEN=" + shape.canary}), {}},
    };
    for (const auto& source : sources) {
      run_everywhere(shape, source.name, source.argv, source.env);
      expect_lint_clean(shape, source.name, source.argv, source.env);
    }
    // A proxy's password: the fixture is the proxy, and quotes the
    // Proxy-Authorization (Basic base64 of user:password) it was sent.
    if (shape.canary.find_first_of("\t ") == std::string::npos) {
      auto proxied = dir.write("p.json", http_checks("http://service.internal:8080", ""));
      const std::map<std::string, std::string> env = {{"http_proxy", fmt::format("http://svc:{}@127.0.0.1:{}", percent_encode(shape.canary), server.port())}};
      run_everywhere(shape, "proxy URL", cmd({"-c", proxied, "--once"}), env);
      expect_lint_clean(shape, "proxy URL", cmd({"-c", proxied, "--once"}), env);
    }
  }
}

// A password that libpq reads by itself from a pgpass file, echoed by a
// server that fails the login quoting it.
TEST(SecretSources, APgpassPasswordInEveryOutputShowsNone) {
  FixtureServer server(Behaviour::postgres_password_echo,
                       {.postgres_password_echo = [](const std::string& password) { return "bad password " + password; }});
  for (const Shape& shape : shapes()) {
    if (!shape.fits_a_header_line() || shape.canary.find_first_of(":\\") != std::string::npos) continue;
    TempDir dir;
    auto pgpass = dir.write("pgpass", fmt::format("127.0.0.1:{}:app:app:{}\n", server.port(), shape.canary));
    chmod(pgpass.c_str(), 0600);
    auto config = dir.write("c.json", fmt::format(R"({{"phases":[{{"name":"d","timeout":"2s","checks":[
        {{"name":"pg","type":"postgres","url":"postgresql://app@127.0.0.1:{}/app?sslmode=disable"}}]}}]}})",
                                                  server.port()));
    run_everywhere(shape, "pgpass", cmd({"-c", config, "--once"}), {{"PGPASSFILE", pgpass}});
    expect_lint_clean(shape, "pgpass", cmd({"-c", config, "--once"}), {{"PGPASSFILE", pgpass}});
  }
}

}  // namespace
}  // namespace preflight::testing
