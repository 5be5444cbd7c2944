// Helpers for tests that run the preflight binary itself.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "binary_under_test.h"
#include "base/redact.h"
#include "process.h"

namespace preflight::testing {

using json = nlohmann::json;

inline constexpr const char* kCanary = "canary-Pw-7f3a9c";

inline std::vector<std::string> cmd(std::initializer_list<std::string> args) {
  std::vector<std::string> v = {binary_under_test()};
  v.insert(v.end(), args);
  return v;
}

// The environment of the test run could hold REDIS_* variables; the binary
// must see only what each test gives it.
inline const std::map<std::string, std::string> kCleanEnv = {{"PATH", "/usr/bin:/bin"}, {"NO_COLOR", "1"}};

inline ProcessResult run_clean(const std::vector<std::string>& argv, std::map<std::string, std::string> env = {},
                        std::chrono::milliseconds limit = std::chrono::seconds(30)) {
  for (const auto& [k, v] : kCleanEnv) env.emplace(k, v);
  Process p(argv, env, /*clean_env=*/true);
  return p.wait(limit);
}

inline std::string redis_config(int port, const std::string& timeout = "2s") {
  return fmt::format(R"({{
  "name": "e2e",
  "phases": [
    {{ "name": "cache", "timeout": "{0}",
      "checks": [ {{ "name": "redis", "type": "redis", "url": "redis://${{REDIS_HOST:-127.0.0.1}}:{1}/0",
                    "password": "${{REDIS_PASSWORD}}" }} ] }},
    {{ "name": "websocket", "timeout": "{0}",
      "checks": [ {{ "name": "redis", "type": "redis", "url": "redis://:${{REDIS_PASSWORD}}@127.0.0.1:{1}/1" }} ] }}
  ]
}})", timeout, port);
}

inline void expect_no_canary(const std::string& where, const std::string& text) {
  for (const std::string& form : {std::string(kCanary), percent_encode(kCanary), base64_encode(kCanary).substr(0, 16)}) {
    EXPECT_EQ(text.find(form), std::string::npos) << where << " leaks the secret as \"" << form << "\":\n" << text;
  }
}

// A config of one phase "p" holding one check, `name` of `type` with
// `fields` (JSON members, without braces), written as c.json in `dir`.
inline std::string one_check_config(TempDir& dir, const std::string& name, const std::string& type,
                                    const std::string& fields, const std::string& timeout) {
  return dir.write("c.json", fmt::format(R"({{"phases":[{{"name":"p","timeout":"{}","checks":[)"
                                         R"({{"name":"{}","type":"{}",{}}}]}}]}})",
                                         timeout, name, type, fields));
}

// `preflight lint -c config` refuses the config (exit 2) saying `said`;
// `label` names the row in a failure.
inline void expect_lint_refuses(const std::string& config, const std::string& said, const std::string& label) {
  auto r = run_clean(cmd({"lint", "-c", config}));
  EXPECT_EQ(r.exit_code, 2) << label << "\n" << r.out << r.err;
  EXPECT_NE(r.err.find(said), std::string::npos) << label << "\n" << r.err;
}

}  // namespace preflight::testing
