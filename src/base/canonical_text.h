// A text as the redactor compares it: with the escapes a server or a
// library puts on a secret undone and the differences that wrapping,
// case and re-encoding make folded away, each byte remembering which bytes
// of the original it came from. A secret is looked for in these views,
// and what matched is masked in the original.
//
// Undone: percent escapes (%xx, either hex case), JSON, C and Python
// string escapes (\uXXXX with surrogate pairs, \UXXXXXXXX, \xHH, \"
// \\ \/ \b \f \n \r \t), HTML and XML character references (&amp; &lt;
// &gt; &quot; &apos; &#NN; &#xHH;), quoted-printable (=C3=A4, and its soft
// line breaks). Folded: every whitespace byte is dropped (text wrapped at
// a column, MIME base64 at 76, a trimmed or re-spaced echo), UTF-8 that
// was re-read as Latin-1 and encoded again ("Ã¤" for "ä") is read back,
// letters are lower-cased (ASCII, Latin-1, Latin Extended-A, Greek,
// Cyrillic), and every invalid UTF-8 byte and U+FFFD becomes one byte
// 0xFF (a lenient decoder's replacement).
//
// Escapes are undone twice at most: an escape of an escape ("%255C", a
// JSON string inside a JSON string) is read, one of three layers is not.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace preflight {

struct CanonicalText {
  std::string bytes;
  // bytes[i] came from original[begin[i], end[i]).
  std::vector<uint32_t> begin, end;
};

// The views of `text`: as written (folded only), with its escapes undone
// once, and undone once more; each only when escapes were left to undo.
// A secret is looked for in every view: "C:\newpass" holds "newpass" as
// written, though "\n" reads as a line break once undone.
// REQUIRES: text.size() < 4 GiB.
std::vector<CanonicalText> canonical_views(std::string_view text);

// The views' bytes alone, for a needle: a secret can itself hold what
// reads as an escape ("p\n", which arrives JSON-escaped as "p\\n").
std::vector<std::string> canonical_forms(std::string_view text);

// Whether `text` holds an escape that the views undo: else it has one
// view, as written.
bool has_escapes(std::string_view text);

// Where the whitespace that starts at text[at] ends, written or escaped
// ("\n", "%0A", "&#10;"): what the view drops after a secret that ends in
// whitespace.
size_t skip_whitespace(std::string_view text, size_t at);

// The marker that stands for an invalid UTF-8 byte or U+FFFD.
inline constexpr char kReplacementByte = '\xFF';

}  // namespace preflight
