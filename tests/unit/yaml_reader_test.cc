#include "config/yaml_reader.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace preflight {
namespace {

using json = nlohmann::json;

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

// The corpus's expected values are what the `yaml` package (eemeli/yaml,
// Debian's node-yaml) makes of each file with YAML 1.2's core schema and
// merge keys; tests/tools/yaml_oracle.py checks that they still are.
TEST(YamlReader, ReadsEachCorpusFileAsTheYamlPackageDoes) {
  const std::filesystem::path corpus = std::filesystem::path(PREFLIGHT_SOURCE_DIR) / "tests/data/yaml";
  size_t compared = 0;
  size_t refused = 0;
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    if (entry.path().extension() != ".yaml") continue;
    auto read = read_yaml(read_text(entry.path()));
    std::filesystem::path expected = entry.path();
    expected.replace_extension(".json");
    if (std::filesystem::exists(expected)) {
      ASSERT_TRUE(read.ok()) << entry.path() << ": " << read.error().what;
      EXPECT_EQ(read->value, json::parse(read_text(expected))) << entry.path();
      ++compared;
    } else {
      EXPECT_FALSE(read.ok()) << entry.path() << " was read, but the oracle refuses it";
      ++refused;
    }
  }
  EXPECT_GE(compared, 10u);
  EXPECT_GE(refused, 5u);
}

TEST(YamlReader, GivesEachValueTheLineAndColumnOfItsKey) {
  auto doc = read_yaml(
      "name: api\n"
      "phases:\n"
      "  - name: cache\n"
      "    checks:\n"
      "      - name: redis\n"
      "        type: redis\n"
      "        url: ${REDIS_URL}\n");
  ASSERT_TRUE(doc.ok()) << doc.error().what;
  auto at = [&](std::string_view pointer) {
    TextPosition p = position_in(doc->positions, pointer);
    return fmt::format("{}:{}", p.line, p.column);
  };
  EXPECT_EQ(at("/name"), "1:1");
  EXPECT_EQ(at("/phases/0"), "3:5");
  EXPECT_EQ(at("/phases/0/checks/0/url"), "7:9");
  // A key that is not written: the nearest enclosing value's position.
  EXPECT_EQ(at("/phases/0/checks/0/password"), "5:9");
}

TEST(YamlReader, RemembersWhatAnUnquotedScalarWasReadAs) {
  auto doc = read_yaml("mode: 0600\nquoted: \"0600\"\nshell: yes\nempty:\non: true\n");
  ASSERT_TRUE(doc.ok()) << doc.error().what;
  EXPECT_EQ(doc->value["mode"], 600);
  EXPECT_EQ(doc->plain_scalars.at("/mode"), PlainScalar::number);
  EXPECT_FALSE(doc->plain_scalars.contains("/quoted"));
  EXPECT_EQ(doc->value["shell"], "yes");
  EXPECT_EQ(doc->plain_scalars.at("/shell"), PlainScalar::string);
  EXPECT_EQ(doc->plain_scalars.at("/empty"), PlainScalar::null);
  // YAML 1.2: the key "on" stays text (YAML 1.1 read it as true).
  EXPECT_EQ(doc->value["on"], true);
}

struct Refusal {
  const char* text;
  const char* says;
  size_t line;
  size_t column;
};

TEST(YamlReader, RefusesWithTheLineAndColumnOfTheMistake) {
  const Refusal refusals[] = {
      {"a: 1\nb: [1, 2\n", "malformed YAML", 3, 1},
      {"a: 1\n  b: 2\n", "malformed YAML", 2, 4},
      {"a: 1\nb: 2\na: 3\n", "duplicate key \"a\"", 3, 1},
      {"a: 1\n---\nb: 2\n", "one YAML document", 2, 1},
      {"a: !Ref x\n", "the tag !Ref has no meaning", 1, 4},
      {"a: !!int nope\n", "tagged !!int but is not one", 1, 4},
      {"a: *nothing\n", "no anchor", 1, 4},
      {"? [a, b]\n: c\n", "a key must be a plain scalar", 1, 3},
      {"a: .inf\n", "infinity", 1, 4},
      {"a: 99999999999999999999999\n", "out of range", 1, 4},
      {"a: 1e99999\n", "out of range", 1, 4},
      {"base: &b 1\nx:\n  <<: *b\n", "a merge key (<<) takes a mapping", 3, 3},
      {"a: \"\\xZZ\"\n", "malformed YAML", 1, 7},
  };
  for (const auto& r : refusals) {
    auto doc = read_yaml(r.text);
    ASSERT_FALSE(doc.ok()) << r.text;
    EXPECT_NE(doc.error().what.find(r.says), std::string::npos) << r.text << " -> " << doc.error().what;
    EXPECT_EQ(fmt::format("{}:{}", doc.error().at.line, doc.error().at.column), fmt::format("{}:{}", r.line, r.column))
        << r.text << " -> " << doc.error().what;
  }
}

// Bug guarded: aliases that refer to aliases double the document at each
// level (a "billion laughs"); expanded, 30 levels would take every byte of
// memory before the schema saw it.
TEST(YamlReader, RefusesAliasesThatMultiplyTheDocument) {
  std::string text = "a0: &a0 [x, x]\n";
  for (int i = 1; i <= 30; ++i) text += fmt::format("a{}: &a{} [*a{}, *a{}]\n", i, i, i - 1, i - 1);
  auto doc = read_yaml(text);
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.error().what.find("expands past"), std::string::npos) << doc.error().what;
}

TEST(YamlReader, RefusesNestingDeeperThanAnyConfig) {
  auto deep = read_yaml(std::string(200, '[') + std::string(200, ']'));
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.error().what.find("nested deeper"), std::string::npos) << deep.error().what;
  // Through aliases: each level adds the depth of the one it refers to.
  std::string text = "a0: &a0 [[[[[[[[[[1]]]]]]]]]]\n";
  for (int i = 1; i <= 10; ++i) text += fmt::format("a{}: &a{} [[[[[[[[[*a{}]]]]]]]]]\n", i, i, i - 1);
  auto through_aliases = read_yaml(text);
  ASSERT_FALSE(through_aliases.ok());
  EXPECT_NE(through_aliases.error().what.find("through an alias"), std::string::npos) << through_aliases.error().what;
}

TEST(YamlReader, AnEmptyDocumentIsNull) {
  for (const char* text : {"", "# only a comment\n", "---\n"}) {
    auto doc = read_yaml(text);
    ASSERT_TRUE(doc.ok()) << text << ": " << doc.error().what;
    EXPECT_TRUE(doc->value.is_null()) << text;
  }
}

}  // namespace
}  // namespace preflight
