// The views the redactor reads text in: escapes undone, wraps, case and
// mojibake folded, and each byte mapped back to the bytes it came from.
#include "base/canonical_text.h"

#include <gtest/gtest.h>

namespace preflight {
namespace {

// The original bytes that canonical bytes [from, to) came from.
std::string_view origin(std::string_view text, const CanonicalText& v, size_t from, size_t to) {
  return text.substr(v.begin[from], v.end[to - 1] - v.begin[from]);
}

// The view with the most escapes undone.
std::string undone(std::string_view text) { return canonical_forms(text).back(); }

TEST(CanonicalText, EscapesAreUndoneAndMapBackToTheirWholeEscape) {
  const std::string text = R"(a%2fb\u00e4&amp;)";
  auto views = canonical_views(text);
  ASSERT_EQ(views.size(), 2u);
  EXPECT_EQ(views[0].bytes, "a%2fb\\u00e4&amp;");
  const CanonicalText& v = views[1];
  EXPECT_EQ(v.bytes, "a/b\xC3\xA4&");
  EXPECT_EQ(origin(text, v, 1, 2), "%2f");
  EXPECT_EQ(origin(text, v, 3, 5), "\\u00e4");
  EXPECT_EQ(origin(text, v, 5, 6), "&amp;");
}

TEST(CanonicalText, AnEscapeOfAnEscapeIsUndoneTwiceAndMapsToTheOriginal) {
  // A JSON string quoted inside a JSON string, and "%5C" of a backslash.
  const std::string text = R"(p\\u00e4 q%5Cu00e4)";
  auto views = canonical_views(text);
  ASSERT_EQ(views.size(), 3u);
  EXPECT_EQ(views[1].bytes, "p\\u00e4q\\u00e4");
  EXPECT_EQ(views[2].bytes, "p\xC3\xA4q\xC3\xA4");
  EXPECT_EQ(origin(text, views[2], 1, 3), "\\\\u00e4");
  EXPECT_EQ(origin(text, views[2], 4, 6), "%5Cu00e4");
  // A third layer is not undone.
  EXPECT_EQ(undone("%255Cu00e4"), "\\u00e4");
}

TEST(CanonicalText, GoAndPythonEscapesAreUndone) {
  EXPECT_EQ(undone(R"(\u003c\u0026\u003e\u2028)"), "<&>\xE2\x80\xA8");
  EXPECT_EQ(undone(R"(\ud83d\ude00 \U0001f600)"), "\xF0\x9F\x98\x80\xF0\x9F\x98\x80");
  EXPECT_EQ(undone(R"(\xe4)"), "\xC3\xA4");
  // C's bytes, read as Latin-1 code points, come back as the UTF-8 they were.
  EXPECT_EQ(undone(R"(\xc3\xa4)"), "\xC3\xA4");
  EXPECT_EQ(undone("&#228;&#xE4;&quot;&apos;&lt;"), "\xC3\xA4\xC3\xA4\"'<");
  EXPECT_EQ(undone("=C3=A4 soft=\nbreak a==b x=ab"), "\xC3\xA4softbreaka==bx=ab");
}

TEST(CanonicalText, WrapsCaseAndMojibakeAreFolded) {
  EXPECT_EQ(undone("Ab C\n d\r\n\tE"), "abcde");
  EXPECT_EQ(undone("\xC3\x84\xCE\xA9\xD0\x96"), "\xC3\xA4\xCF\x89\xD0\xB6");  // ÄΩЖ
  EXPECT_EQ(undone("P\xC3\x83\xC2\xA4ss"), "p\xC3\xA4ss");                      // PÃ¤ss
  // A real "Ã" followed by an ASCII letter is left as it is.
  EXPECT_EQ(undone("\xC3\x83x"), "\xC3\xA3x");
}

TEST(CanonicalText, InvalidBytesAndTheReplacementCharacterAreOneMarker) {
  EXPECT_EQ(undone("a\xFF\xFE" "b\xEF\xBF\xBD" "c\\ufffd"), "a\xFF\xFF" "b\xFF" "c\xFF");
}

TEST(CanonicalText, ATextWithoutEscapesHasOneView) {
  EXPECT_FALSE(has_escapes("100% sure, a==b & \\q"));
  EXPECT_EQ(canonical_forms("A b%4"), std::vector<std::string>{"ab%4"});
  EXPECT_TRUE(has_escapes("A%41"));
  EXPECT_EQ(canonical_forms("A%41"), (std::vector<std::string>{"a%41", "aa"}));
}

TEST(CanonicalText, BrokenEscapesStayAsTheyAre) {
  EXPECT_EQ(undone("100% %4 \\u12 &#; &nope; \\q"), "100%%4\\u12&#;&nope;\\q");
}

}  // namespace
}  // namespace preflight
