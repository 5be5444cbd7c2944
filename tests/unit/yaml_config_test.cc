// A YAML config through the schema: the same config as its JSON twin, and
// every schema error at the line and column of the value.
#include "config/config.h"
#include "config/plan.h"

#include <gtest/gtest.h>

namespace preflight {
namespace {

std::string yaml_error(std::string_view text) {
  auto r = parse_config(text, "cfg.yaml");
  return r.ok() ? std::string("(parsed)") : r.error().message;
}

TEST(YamlConfig, ReadsAsItsJsonTwin) {
  auto yaml = parse_config(R"(name: netra-backend
env_files: [.env]
phases:
  - name: cache
    timeout: 2s
    retry: {interval: 50ms, factor: 2}
    checks:
      - &redis
        name: redis
        type: redis
        url: redis://${REDIS_HOST}:6379/0
        password: ${REDIS_PASSWORD}
  - name: websocket
    timeout: 7.5
    checks:
      - <<: *redis
        required: false
)",
                           "/etc/preflight/cfg.yml");
  auto json = parse_config(R"({"name": "netra-backend", "env_files": [".env"], "phases": [
    {"name": "cache", "timeout": "2s", "retry": {"interval": "50ms", "factor": 2},
     "checks": [{"name": "redis", "type": "redis", "url": "redis://${REDIS_HOST}:6379/0", "password": "${REDIS_PASSWORD}"}]},
    {"name": "websocket", "timeout": 7.5,
     "checks": [{"name": "redis", "type": "redis", "url": "redis://${REDIS_HOST}:6379/0", "password": "${REDIS_PASSWORD}",
                 "required": false}]}]})",
                           "/etc/preflight/cfg.json");
  ASSERT_TRUE(yaml.ok()) << yaml.error().message;
  ASSERT_TRUE(json.ok()) << json.error().message;
  EXPECT_EQ(yaml->name, json->name);
  EXPECT_EQ(yaml->env_files, json->env_files);
  ASSERT_EQ(yaml->phases.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(yaml->phases[i].timeout, json->phases[i].timeout);
    EXPECT_EQ(yaml->phases[i].retry.interval, json->phases[i].retry.interval);
    ASSERT_EQ(yaml->phases[i].checks.size(), 1u);
    EXPECT_EQ(yaml->phases[i].checks[0].fields, json->phases[i].checks[0].fields);
    EXPECT_EQ(yaml->phases[i].checks[0].required, json->phases[i].checks[0].required);
  }
}

struct SchemaError {
  const char* yaml;
  const char* says;
};

TEST(YamlConfig, SchemaErrorsGiveLineColumnAndTheRemedyForAnUnquotedValue) {
  const std::string head = "phases:\n  - name: p\n    checks:\n      - name: c\n";
  const SchemaError errors[] = {
      {"        type: tcp\n        url: tcp://h:1\n        required: yes\n",
       "cfg.yaml:7:9: /phases/0/checks/0/required: expected true or false, got string (YAML 1.2 reads only true and "
       "false as booleans"},
      {"        type: file\n        path: /secrets/key\n        expect:\n          mode: 0600\n",
       "cfg.yaml:8:11: /phases/0/checks/0/expect/mode: expected octal permission bits written as a string such as "
       "\"0600\", got 600 (YAML reads this unquoted value as a number: put it in quotes if it is text)"},
      {"        type: http\n        url: 8080\n",
       "cfg.yaml:6:9: /phases/0/checks/0/url: expected a string, got number (YAML reads this unquoted value as a "
       "number: put it in quotes)"},
      {"        type: redis\n        url: redis://h\n        pasword: x\n",
       "cfg.yaml:7:9: /phases/0/checks/0/pasword: unknown key \"pasword\""},
      {"        type: mongo\n        url: mongodb://h\n", "cfg.yaml:5:9: /phases/0/checks/0/type: unknown check type"},
      {"        type: tcp\n", "cfg.yaml:4:9: /phases/0/checks/0: missing \"url\""},
  };
  for (const auto& e : errors) {
    std::string said = yaml_error(head + e.yaml);
    EXPECT_NE(said.find(e.says), std::string::npos) << e.yaml << "\n -> " << said;
  }
  EXPECT_NE(yaml_error("- a\n- b\n").find("cfg.yaml:1:1: /: expected a mapping, got array"), std::string::npos);
  EXPECT_NE(yaml_error("phases: [\n").find("cfg.yaml:2:1: malformed YAML"), std::string::npos);
}

// Where a value was written, as lint's `from:` lines show it.
TEST(YamlConfig, FindingsNameTheLineOfTheValue) {
  auto config = parse_config("phases:\n  - name: p\n    timeout: soon${X}\n    checks:\n      - name: c\n        type: tcp\n"
                             "        url: tcp://${NOT_SET}:1\n",
                             "cfg.yaml");
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->source_of("/phases/0/checks/0/url"), "cfg.yaml:7:9 (/phases/0/checks/0/url)");
  Plan plan = build_plan(*config, {});
  std::vector<std::string> sources;
  for (const auto& f : plan.findings) sources.push_back(f.source);
  EXPECT_NE(std::find(sources.begin(), sources.end(), "cfg.yaml:7:9 (/phases/0/checks/0/url)"), sources.end())
      << ::testing::PrintToString(sources);
  EXPECT_NE(std::find(sources.begin(), sources.end(), "cfg.yaml:3:5 (/phases/0/timeout)"), sources.end())
      << ::testing::PrintToString(sources);
}

}  // namespace
}  // namespace preflight
