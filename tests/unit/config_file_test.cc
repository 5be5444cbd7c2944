#include "config/config.h"

#include <gtest/gtest.h>

namespace preflight {
namespace {

std::string error_of(std::string_view text) {
  auto r = parse_config(text, "cfg.json");
  return r.ok() ? std::string("(parsed)") : r.error().message;
}

TEST(ConfigFile, ParsesTheContractExampleWithComments) {
  auto r = parse_config(R"({
    "name": "netra-backend",
    "env_files": [".env"],            // relative to the config file
    "phases": [
      { "name": "cache", "timeout": "2s",
        "checks": [ { "name": "redis", "type": "redis", "url": "redis://${REDIS_HOST}:6379/0",
                      "password": "${REDIS_PASSWORD}" } ] },
      { "name": "websocket", "timeout": 7.5,
        "checks": [ { "name": "redis", "type": "redis", "url": "${REDIS_URL}", "required": false } ] } ] })",
                        "/etc/preflight/cfg.json");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->name, "netra-backend");
  EXPECT_EQ(r->env_files, std::vector<std::string>{"/etc/preflight/.env"});
  ASSERT_EQ(r->phases.size(), 2u);
  EXPECT_EQ(r->phases[1].timeout, "7.5");
  EXPECT_FALSE(r->phases[1].checks[0].required);
}

TEST(ConfigFile, ErrorsNameFileJsonPathAndProblem) {
  EXPECT_NE(error_of("{").find("cfg.json: malformed JSON"), std::string::npos);
  EXPECT_NE(error_of("[]").find("expected a JSON object"), std::string::npos);
  EXPECT_NE(error_of(R"({"phases": []})").find("/phases"), std::string::npos);
  EXPECT_NE(error_of(R"({"phases": [], "colour": 1})").find("unknown key \"colour\""), std::string::npos);
  std::string bad_type = error_of(R"({"phases":[{"name":"p","checks":[{"name":"c","type":"ftp","url":"x"}]}]})");
  EXPECT_NE(bad_type.find("/phases/0/checks/0/type"), std::string::npos) << bad_type;
  EXPECT_NE(bad_type.find("unknown check type \"ftp\""), std::string::npos);
  std::string bad_field = error_of(R"({"phases":[{"name":"p","checks":[{"name":"c","type":"redis","url":"x","pasword":"y"}]}]})");
  EXPECT_NE(bad_field.find("/phases/0/checks/0/pasword"), std::string::npos) << bad_field;
  std::string wrong_type = error_of(R"({"phases":[{"name":"p","checks":[{"name":"c","type":"redis","url":"x","required":"yes"}]}]})");
  EXPECT_NE(wrong_type.find("/phases/0/checks/0/required"), std::string::npos) << wrong_type;
  std::string bad_timeout = error_of(R"({"phases":[{"name":"p","timeout":"5 seconds","checks":[{"name":"c","type":"tcp","url":"tcp://h:1"}]}]})");
  EXPECT_NE(bad_timeout.find("/phases/0/timeout"), std::string::npos) << bad_timeout;
  std::string dup = error_of(R"({"phases":[{"name":"p","checks":[{"name":"c","type":"tcp","url":"x"},{"name":"c","type":"tcp","url":"y"}]}]})");
  EXPECT_NE(dup.find("duplicate check name"), std::string::npos) << dup;
  EXPECT_NE(error_of(R"({"phases":[{"name":"p","checks":[]}]})").find("non-empty array of checks"), std::string::npos);
}

// A '~' not followed by 0 or 1 made nlohmann's json_pointer throw at plan
// time: "internal error", exit 1, instead of a config error (exit 2).
TEST(ConfigFile, AMalformedJsonPointerInExpectIsAConfigErrorNamingItsPosition) {
  std::string bad = error_of(R"({"phases":[{"name":"p","checks":[{"name":"c","type":"http","url":"http://h/",
      "expect":{"json":{"/status/a~2b":"green"}}}]}]})");
  EXPECT_NE(bad.find("/phases/0/checks/0/expect/json//status/a~2b: not a JSON pointer"), std::string::npos) << bad;
  EXPECT_NE(bad.find("the '~' at character 10 must be followed by 0 or 1"), std::string::npos) << bad;
  std::string trailing = error_of(R"({"phases":[{"name":"p","checks":[{"name":"c","type":"http","url":"http://h/",
      "expect":{"json":{"/x~":1}}}]}]})");
  EXPECT_NE(trailing.find("character 3"), std::string::npos) << trailing;
  EXPECT_EQ(error_of(R"({"phases":[{"name":"p","checks":[{"name":"c","type":"http","url":"http://h/",
      "expect":{"json":{"/a~0b/c~1d":1}}}]}]})"), "(parsed)");
}

TEST(ConfigFile, TemplatedTimeoutIsLeftForThePlan) {
  auto r = parse_config(R"({"phases":[{"name":"p","timeout":"${T:-3s}","checks":[{"name":"c","type":"tcp","url":"tcp://h:1"}]}]})", "c");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->phases[0].timeout, "${T:-3s}");
}

TEST(ConfigFile, DeeplyNestedInputIsAnErrorNotACrash) {
  std::string deep(100000, '[');
  EXPECT_NE(error_of(deep).find("cfg.json"), std::string::npos);
}

TEST(ConfigFile, BudgetIsAPositiveDuration) {
  auto ok = parse_config(R"({"budget":"90s","phases":[{"name":"p","checks":[{"name":"t","type":"tcp","url":"tcp://h:1"}]}]})", "cfg.json");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->budget, Millis{90'000});
  for (const char* bad : {R"("soon")", "0", "-5", "true"}) {
    auto r = parse_config(fmt::format(R"({{"budget":{},"phases":[{{"name":"p","checks":[{{"name":"t","type":"tcp","url":"tcp://h:1"}}]}}]}})", bad), "cfg.json");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message.find("cfg.json: /budget"), std::string::npos) << r.error().message;
  }
}

// Found by fuzz_config.
TEST(ConfigFile, ANumberTooLargeForADoubleIsAnErrorNotACrash) {
  EXPECT_NE(error_of(R"({"phases":[1e99999]})").find("cfg.json: unusable JSON"), std::string::npos) << error_of(R"({"phases":[1e99999]})");
}

}  // namespace
}  // namespace preflight
