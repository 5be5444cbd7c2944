// The view the redactor reads text in: escapes undone, wraps, case and
// mojibake folded, and each byte mapped back to the bytes it came from.
#include "base/canonical_text.h"

#include <gtest/gtest.h>

namespace preflight {
namespace {

// The original bytes that canonical bytes [from, to) came from.
std::string_view origin(std::string_view text, const CanonicalText& v, size_t from, size_t to) {
  return text.substr(v.begin[from], v.end[to - 1] - v.begin[from]);
}

TEST(CanonicalText, EscapesAreUndoneAndMapBackToTheirWholeEscape) {
  const std::string text = R"(a%2fb\u00e4&amp;)";
  auto v = canonical_view(text);
  EXPECT_EQ(v.bytes, "a/b\xC3\xA4&");
  EXPECT_TRUE(has_escapes(text));
  EXPECT_EQ(origin(text, v, 1, 2), "%2f");
  EXPECT_EQ(origin(text, v, 3, 5), "\\u00e4");
  EXPECT_EQ(origin(text, v, 5, 6), "&amp;");
}

TEST(CanonicalText, GoAndPythonEscapesAreUndone) {
  EXPECT_EQ(canonical_bytes(R"(\u003c\u0026\u003e\u2028)"), "<&>\xE2\x80\xA8");
  EXPECT_EQ(canonical_bytes(R"(\ud83d\ude00 \U0001f600)"), "\xF0\x9F\x98\x80\xF0\x9F\x98\x80");
  EXPECT_EQ(canonical_bytes(R"(\xe4)"), "\xC3\xA4");
  // C's bytes, read as Latin-1 code points, come back as the UTF-8 they were.
  EXPECT_EQ(canonical_bytes(R"(\xc3\xa4)"), "\xC3\xA4");
  EXPECT_EQ(canonical_bytes("&#228;&#xE4;&quot;&apos;&lt;"), "\xC3\xA4\xC3\xA4\"'<");
  EXPECT_EQ(canonical_bytes("=C3=A4 soft=\nbreak a==b x=ab"), "\xC3\xA4softbreaka==bx=ab");
}

TEST(CanonicalText, WrapsCaseAndMojibakeAreFolded) {
  EXPECT_EQ(canonical_bytes("Ab C\n d\r\n\tE"), "abcde");
  EXPECT_EQ(canonical_bytes("\xC3\x84\xCE\xA9\xD0\x96"), "\xC3\xA4\xCF\x89\xD0\xB6");  // ÄΩЖ
  EXPECT_EQ(canonical_bytes("P\xC3\x83\xC2\xA4ss"), "p\xC3\xA4ss");                      // PÃ¤ss
  // A real "Ã" followed by an ASCII letter is left as it is.
  EXPECT_EQ(canonical_bytes("\xC3\x83x"), "\xC3\xA3x");
}

TEST(CanonicalText, InvalidBytesAndTheReplacementCharacterAreOneMarker) {
  EXPECT_EQ(canonical_bytes("a\xFF\xFE" "b\xEF\xBF\xBD" "c\\ufffd"), "a\xFF\xFF" "b\xFF" "c\xFF");
}

TEST(CanonicalText, WithoutDecodingOnlyFolds) {
  auto v = canonical_view("A%41\\n", false);
  EXPECT_EQ(v.bytes, "a%41\\n");
  EXPECT_FALSE(has_escapes("100% sure, a==b & \\q"));
  EXPECT_EQ(canonical_bytes("A%41", false), "a%41");
}

TEST(CanonicalText, BrokenEscapesStayAsTheyAre) {
  EXPECT_EQ(canonical_bytes("100% %4 \\u12 &#; &nope; \\q"), "100%%4\\u12&#;&nope;\\q");
}

}  // namespace
}  // namespace preflight
