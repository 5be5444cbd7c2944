// A YAML config through the binary: a run against real servers, lint's
// `from:` lines with the line and column, and errors that keep a secret
// written next to the mistake out of every output.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "binary_harness.h"
#include "fixture_server.h"
#include "refused_port.h"

namespace preflight::testing {
namespace {

TEST(YamlConfigBinary, RunsAYamlConfigAgainstRealServers) {
  FixtureServer web(Behaviour::http, {.http = [](int, const std::string&) { return http_response(200, R"({"status":"green"})"); }});
  RefusedPort closed;
  TempDir dir;
  for (const char* name : {"preflight.yaml", "preflight.yml"}) {
    auto config = dir.write(name, fmt::format(R"(# Kubernetes users write it so.
phases:
  - name: services
    timeout: 5s
    checks:
      - name: web
        type: http
        url: http://127.0.0.1:{}/health
        expect:
          status: [200]
          json: {{/status: {{in: [yellow, green]}}}}
      - name: optional
        type: tcp
        url: tcp://127.0.0.1:{}
        required: no_such_boolean_is_needed
)",
                                              web.port(), closed.port()));
    // `required: no_such_...` is text: the schema refuses it at its line.
    auto refused = run_clean(cmd({"-c", config}));
    EXPECT_EQ(refused.exit_code, 2) << refused.out << refused.err;
    EXPECT_NE(refused.err.find(fmt::format("{}:15:9: /phases/0/checks/1/required: expected true or false", config)),
              std::string::npos)
        << refused.err;

    std::string text = read_text_file(config);
    text.replace(text.find("no_such_boolean_is_needed"), std::string("no_such_boolean_is_needed").size(), "false");
    dir.write(name, text);
    auto r = run_clean(cmd({"-c", config, "--once", "-o", "json"}));
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    auto report = json::parse(r.out, nullptr, false);
    ASSERT_TRUE(report.is_object()) << r.out;
    const auto& checks = report["phases"][0]["checks"];
    ASSERT_EQ(checks.size(), 2u) << r.out;
    EXPECT_EQ(checks[0]["status"], "passed") << r.out;
    EXPECT_EQ(checks[1]["status"], "warned") << r.out;  // not required: a warning, and the run passes
  }
}

TEST(YamlConfigBinary, LintNamesTheLineOfAnUnsetVariable) {
  TempDir dir;
  auto config = dir.write("preflight.yaml",
                          "phases:\n  - name: cache\n    checks:\n      - name: redis\n        type: redis\n"
                          "        url: redis://${REDIS_HOST}:6379/0\n");
  auto r = run_clean(cmd({"lint", "-c", config}));
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find(config + ":6:9 (/phases/0/checks/0/url)"), std::string::npos) << r.out << r.err;
}

// Bug class guarded: a parser's error that quotes the text near the mistake
// (nlohmann's "last read" did) prints the secret written there.
TEST(YamlConfigBinary, ErrorsNearASecretDoNotQuoteIt) {
  TempDir dir;
  const std::string canary = kCanary;
  const std::string broken[] = {
      "phases:\n  - name: p\n    checks:\n      - {name: c, type: redis, url: redis://h, password: \"" + canary + "\n",
      "phases:\n  - name: p\n    checks:\n      - name: c\n        type: redis\n        url: redis://h\n"
      "        password: " + canary + "\n         bad: indentation\n",
      "phases:\n  - name: p\n    checks:\n      - name: c\n        type: redis\n        url: redis://h\n"
      "        password: [" + canary + "]\n",
      "phases:\n  - name: p\n    checks:\n      - name: c\n        type: redis\n        url: redis://h\n"
      "        password: !Secret " + canary + "\n",
      "phases:\n  - name: p\n    checks:\n      - name: c\n        type: redis\n        url: redis://h\n"
      "        password: \"" + canary + "\\q\"\n",
  };
  for (const auto& text : broken) {
    auto config = dir.write("preflight.yaml", text);
    for (const char* mode : {"lint", "check"}) {
      auto r = run_clean(cmd({mode, "-c", config, "-o", "json"}));
      EXPECT_EQ(r.exit_code, 2) << text << r.out << r.err;
      EXPECT_NE(r.err.find(config + ":"), std::string::npos) << r.err;
      expect_no_canary(text, r.out + r.err);
    }
  }
}

}  // namespace
}  // namespace preflight::testing
