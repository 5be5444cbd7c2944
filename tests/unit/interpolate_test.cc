#include "config/interpolate.h"

#include <algorithm>

#include <gtest/gtest.h>

namespace preflight {
namespace {

VariableSet vars(std::initializer_list<std::pair<std::string, std::string>> kv, bool expandable = false) {
  VariableSet v;
  for (const auto& [k, val] : kv) v.define(k, Variable{val, "test", false, expandable, std::nullopt});
  return v;
}

TEST(Interpolate, ReplacesReferencesAndRecordsProvenance) {
  auto v = vars({{"HOST", "10.0.0.3"}, {"PORT", "6380"}});
  auto r = interpolate("redis://${HOST}:${PORT}/0", v);
  EXPECT_EQ(r.text, "redis://10.0.0.3:6380/0");
  ASSERT_EQ(r.uses.size(), 2u);
  EXPECT_EQ(r.uses[0].name, "HOST");
  EXPECT_EQ(r.uses[0].source, "test");
  EXPECT_TRUE(r.unset.empty());
}

TEST(Interpolate, DefaultAppliesWhenUnsetOrEmpty) {
  auto v = vars({{"EMPTY", ""}});
  EXPECT_EQ(interpolate("${PORT:-6379}", v).text, "6379");
  EXPECT_EQ(interpolate("${EMPTY:-x}", v).text, "x");
  EXPECT_EQ(interpolate("${PORT:-}", v).text, "");
}

TEST(Interpolate, DefaultsMayNestReferences) {
  auto v = vars({{"FALLBACK", "f"}});
  EXPECT_EQ(interpolate("${A:-${FALLBACK}}", v).text, "f");
}

TEST(Interpolate, DoubleDollarIsLiteralDollar) {
  auto v = vars({{"A", "x"}});
  EXPECT_EQ(interpolate("$${A} costs $5", v).text, "${A} costs $5");
}

TEST(Interpolate, UnsetWithoutDefaultIsReportedOnce) {
  auto r = interpolate("${MISSING}-${MISSING}", VariableSet{});
  EXPECT_EQ(r.unset, std::vector<std::string>{"MISSING"});
}

TEST(Interpolate, UnterminatedReferenceIsAnError) {
  auto r = interpolate("redis://${HOST", VariableSet{});
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->find("unterminated"), std::string::npos);
}

TEST(Interpolate, InvalidNameIsAnError) {
  EXPECT_TRUE(interpolate("${}", VariableSet{}).error);
  EXPECT_TRUE(interpolate("${A B}", VariableSet{}).error);
}

TEST(Interpolate, ExpandsDotenvValuesRecursively) {
  auto v = vars({{"HOST", "h"}, {"URL", "redis://${HOST}:1"}}, true);
  auto r = interpolate("${URL}", v);
  EXPECT_EQ(r.text, "redis://h:1");
  EXPECT_EQ(r.uses.size(), 2u);
}

TEST(Interpolate, UsesRecordTheExpandedValue) {
  auto v = vars({{"PW", "s3cret"}, {"URL", "postgres://u:${PW}@db/app"}}, true);
  auto r = interpolate("${URL}", v);
  ASSERT_EQ(r.uses.size(), 2u);
  auto url = std::find_if(r.uses.begin(), r.uses.end(), [](const VariableUse& u) { return u.name == "URL"; });
  ASSERT_NE(url, r.uses.end());
  EXPECT_EQ(url->value, "postgres://u:s3cret@db/app") << "a placeholder check must not see the ${PW} template";
}

TEST(Interpolate, DetectsCycles) {
  auto v = vars({{"A", "${B}"}, {"B", "${A}"}}, true);
  auto r = interpolate("${A}", v);
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->find("cycle"), std::string::npos);
}

TEST(Interpolate, EnvironmentValuesAreNotExpanded) {
  auto v = vars({{"A", "${B}"}, {"B", "x"}}, false);
  EXPECT_EQ(interpolate("${A}", v).text, "${B}");
}

TEST(Interpolate, BoundsExponentialExpansion) {
  VariableSet v;
  v.define("A0", Variable{"xxxxxxxxxxxxxxxx", "t", false, true, std::nullopt});
  for (int i = 1; i < 12; ++i) {
    std::string prev = "${A" + std::to_string(i - 1) + "}";
    v.define("A" + std::to_string(i), Variable{prev + prev + prev + prev, "t", false, true, std::nullopt});
  }
  auto r = interpolate("${A11}", v);
  EXPECT_TRUE(r.error) << "4^11 * 16 bytes must be refused, not built";
}

TEST(Interpolate, ADefaultDoesNotHideAVariableThatCouldNotBeRead) {
  VariableSet vars;
  vars.define("H", Variable{"", "/secrets/h", true, false, Failure{FailureKind::invalid_config, "secret file too big", {}}});
  auto r = interpolate("tcp://${H:-127.0.0.1}:1", vars);
  ASSERT_EQ(r.uses.size(), 1u);
  EXPECT_TRUE(r.uses[0].problem);
  EXPECT_EQ(r.text.find("127.0.0.1"), std::string::npos) << r.text;
}

TEST(Interpolate, AnExpansionOverTheCapNamesTheVariables) {
  VariableSet vars;
  vars.define("A", Variable{"${B}${B}${B}${B}${B}${B}${B}${B}", ".env:1", false, true, std::nullopt});
  vars.define("B", Variable{std::string(200'000, 'b'), ".env:2", false, true, std::nullopt});
  auto r = interpolate("${A}", vars);
  ASSERT_TRUE(r.error);
  EXPECT_NE(r.error->find("over 1 MiB (expanding A)"), std::string::npos) << *r.error;
}

}  // namespace
}  // namespace preflight

namespace preflight {
namespace {

// "kind:variable[source]{secret}=text" per span, for comparing at a glance.
std::vector<std::string> span_strings(const Interpolated& r) {
  std::vector<std::string> out;
  size_t covered = 0;
  for (const auto& s : r.spans) {
    EXPECT_EQ(s.begin, covered) << "spans leave a gap or overlap";
    covered = s.end;
    std::string kind = s.kind == OriginSpan::Kind::literal ? "literal" : s.kind == OriginSpan::Kind::variable ? "var" : "default";
    out.push_back(kind + ":" + s.variable + (s.source.empty() ? "" : "[" + s.source + "]") + (s.secret ? "{secret}" : "") +
                  "=" + r.text.substr(s.begin, s.end - s.begin));
  }
  EXPECT_EQ(covered, r.text.size()) << "spans do not cover the text";
  return out;
}

TEST(InterpolateSpans, EachByteRangeNamesTheVariableAndSourceItCameFrom) {
  VariableSet v;
  v.define("HOST", Variable{"10.0.0.3", ".env:2", false, false, std::nullopt});
  v.define("PASSWORD", Variable{"p/w#1", "/secrets/pw", true, false, std::nullopt});
  auto r = interpolate("redis://:${PASSWORD}@${HOST}:${PORT:-6379}/0", v);
  EXPECT_EQ(span_strings(r), (std::vector<std::string>{"literal:=redis://:", "var:PASSWORD[/secrets/pw]{secret}=p/w#1",
                                                      "literal:=@", "var:HOST[.env:2]=10.0.0.3", "literal:=:",
                                                      "default:PORT=6379", "literal:=/0"}));
}

// A dotenv value that refers to others owns its own bytes; each reference
// its own; and everything inside a secret's value is secret.
TEST(InterpolateSpans, ANestedReferenceKeepsItsOwnOriginAndASecretsInsideStaysSecret) {
  VariableSet v;
  v.define("DB_HOST", Variable{"db.internal", ".env:1", false, false, std::nullopt});
  v.define("DATABASE_URL", Variable{"postgres://app@${DB_HOST}/app", ".env:2", false, true, std::nullopt});
  auto r = interpolate("${DATABASE_URL}", v);
  EXPECT_EQ(span_strings(r), (std::vector<std::string>{"var:DATABASE_URL[.env:2]=postgres://app@",
                                                      "var:DB_HOST[.env:1]=db.internal", "var:DATABASE_URL[.env:2]=/app"}));
  v.define("TOKEN", Variable{"tk-${DB_HOST}-${SUFFIX:-x}", ".env:3", true, true, std::nullopt});
  auto t = interpolate("nats://${TOKEN}@h", v);
  EXPECT_EQ(span_strings(t), (std::vector<std::string>{"literal:=nats://", "var:TOKEN[.env:3]{secret}=tk-",
                                                      "var:DB_HOST[.env:1]{secret}=db.internal",
                                                      "var:TOKEN[.env:3]{secret}=-", "default:SUFFIX{secret}=x",
                                                      "literal:=@h"}));
}

}  // namespace
}  // namespace preflight
