#include "config/dotenv.h"

#include <gtest/gtest.h>

namespace preflight {
namespace {

std::vector<DotenvEntry> parse_ok(std::string_view text) {
  auto r = parse_dotenv(text);
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? r.value() : std::vector<DotenvEntry>{};
}

TEST(DotenvParser, ReadsKeyValueLinesWithLineNumbers) {
  auto e = parse_ok("A=1\n\nB=two\n");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].key, "A");
  EXPECT_EQ(e[0].value, "1");
  EXPECT_EQ(e[0].line, 1);
  EXPECT_EQ(e[1].key, "B");
  EXPECT_EQ(e[1].line, 3);
}

TEST(DotenvParser, IgnoresCommentLinesAndTrailingComments) {
  auto e = parse_ok("# comment\n  # indented\nA=value # trailing\nB=pa#ss\n");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].value, "value");
  EXPECT_EQ(e[1].value, "pa#ss") << "a # inside a value is not a comment";
}

TEST(DotenvParser, AcceptsExportPrefix) {
  auto e = parse_ok("export REDIS_HOST=10.0.0.3\nexporter=x\n");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].key, "REDIS_HOST");
  EXPECT_EQ(e[1].key, "exporter");
}

TEST(DotenvParser, SingleQuotesAreLiteral) {
  auto e = parse_ok("A='a \\n ${B} # not a comment'\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].value, "a \\n ${B} # not a comment");
  EXPECT_FALSE(e[0].expandable);
}

TEST(DotenvParser, DoubleQuotesHonourEscapes) {
  auto e = parse_ok("A=\"line1\\nline2\\t\\\"q\\\" \\\\ \\$HOME\"\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].value, "line1\nline2\t\"q\" \\ $$HOME");
  EXPECT_TRUE(e[0].expandable);
}

TEST(DotenvParser, QuotedValuesMaySpanLines) {
  auto e = parse_ok("KEY=\"-----BEGIN\nabc\n-----END\"\nNEXT=1\n");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].value, "-----BEGIN\nabc\n-----END");
  EXPECT_EQ(e[1].line, 4);
}

TEST(DotenvParser, ToleratesCrlfAndBom) {
  auto e = parse_ok("\xEF\xBB\xBF" "A=1\r\nB=\"x\"\r\n");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].key, "A");
  EXPECT_EQ(e[0].value, "1");
  EXPECT_EQ(e[1].value, "x");
}

TEST(DotenvParser, KeepsDuplicatesInOrderSoTheLastWins) {
  auto e = parse_ok("A=1\nA=2\n");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[1].value, "2");
}

TEST(DotenvParser, EmptyValueIsEmptyString) {
  auto e = parse_ok("A=\nB=''\n");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0].value, "");
  EXPECT_EQ(e[1].value, "");
}

TEST(DotenvParser, RejectsUnterminatedQuoteNamingItsLine) {
  auto r = parse_dotenv("A=1\nB=\"open\nC=3\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().origin, "line 2");
  EXPECT_NE(r.error().message.find("unterminated"), std::string::npos);
}

TEST(DotenvParser, RejectsLineWithoutEquals) {
  auto r = parse_dotenv("A=1\njust words\n");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().origin, "line 2");
}

TEST(DotenvParser, RejectsNulBytes) {
  auto r = parse_dotenv(std::string_view("A=1\nB=\0x\n", 9));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().origin, "line 2");
}

TEST(DotenvParser, RejectsTextAfterClosingQuote) {
  EXPECT_FALSE(parse_dotenv("A=\"x\" y\n").ok());
  EXPECT_TRUE(parse_dotenv("A=\"x\"   # fine\n").ok());
}

}  // namespace
}  // namespace preflight
