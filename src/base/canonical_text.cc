#include "base/canonical_text.h"

#include <cctype>

namespace preflight {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The value of the `digits` hex digits at text[at], or -1.
long hex_at(std::string_view text, size_t at, size_t digits) {
  if (at + digits > text.size()) return -1;
  long value = 0;
  for (size_t k = 0; k < digits; ++k) {
    int d = hex_digit(text[at + k]);
    if (d < 0) return -1;
    value = value * 16 + d;
  }
  return value;
}

bool is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// Appends what bytes [b, e) of its input decoded to, with the original
// range they came from: [b, e) itself, or through the ranges of the view
// that was its input.
struct Sink {
  CanonicalText& out;
  const CanonicalText* through = nullptr;
  void byte(unsigned char c, size_t b, size_t e) {
    out.bytes += static_cast<char>(c);
    out.begin.push_back(through ? through->begin[b] : static_cast<uint32_t>(b));
    out.end.push_back(through ? through->end[e - 1] : static_cast<uint32_t>(e));
  }
  void code_point(uint32_t cp, size_t b, size_t e) {
    if (cp >= 0xD800 && cp < 0xE000) cp = 0xFFFD;  // a lone surrogate
    if (cp < 0x80) {
      byte(static_cast<unsigned char>(cp), b, e);
    } else if (cp < 0x800) {
      byte(static_cast<unsigned char>(0xC0 | (cp >> 6)), b, e);
      byte(static_cast<unsigned char>(0x80 | (cp & 0x3F)), b, e);
    } else if (cp < 0x10000) {
      byte(static_cast<unsigned char>(0xE0 | (cp >> 12)), b, e);
      byte(static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F)), b, e);
      byte(static_cast<unsigned char>(0x80 | (cp & 0x3F)), b, e);
    } else {
      byte(static_cast<unsigned char>(0xF0 | (cp >> 18)), b, e);
      byte(static_cast<unsigned char>(0x80 | ((cp >> 12) & 0x3F)), b, e);
      byte(static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F)), b, e);
      byte(static_cast<unsigned char>(0x80 | (cp & 0x3F)), b, e);
    }
  }
};

// A backslash escape at text[i] (JSON, C, Python): its code point and
// length, or length 0.
std::pair<uint32_t, size_t> backslash_escape(std::string_view text, size_t i) {
  if (i + 1 >= text.size()) return {0, 0};
  switch (text[i + 1]) {
    case 'u': {
      long unit = hex_at(text, i + 2, 4);
      if (unit < 0) return {0, 0};
      if (unit >= 0xD800 && unit < 0xDC00 && text.substr(i + 6, 2) == "\\u") {
        long low = hex_at(text, i + 8, 4);
        if (low >= 0xDC00 && low < 0xE000) return {0x10000 + ((uint32_t(unit) - 0xD800) << 10) + (uint32_t(low) - 0xDC00), 12};
      }
      return {static_cast<uint32_t>(unit), 6};
    }
    case 'U': {  // Python's ascii() past U+FFFF
      long cp = hex_at(text, i + 2, 8);
      return cp < 0 || cp > 0x10FFFF ? std::pair<uint32_t, size_t>{0, 0} : std::pair<uint32_t, size_t>{uint32_t(cp), 10};
    }
    case 'x': {
      // A code point as Python writes one (U+00E4 is "\xe4"); C's bytes
      // ("\xc3\xa4") come out as Latin-1 mojibake, which is folded back.
      long value = hex_at(text, i + 2, 2);
      return value < 0 ? std::pair<uint32_t, size_t>{0, 0} : std::pair<uint32_t, size_t>{uint32_t(value), 4};
    }
    case '"': return {'"', 2};
    case '\\': return {'\\', 2};
    case '/': return {'/', 2};
    case '\'': return {'\'', 2};
    case 'b': return {'\b', 2};
    case 'f': return {'\f', 2};
    case 'n': return {'\n', 2};
    case 'r': return {'\r', 2};
    case 't': return {'\t', 2};
    default: return {0, 0};
  }
}

// An HTML or XML character reference at text[i]: its code point and
// length, or length 0.
std::pair<uint32_t, size_t> character_reference(std::string_view text, size_t i) {
  size_t semi = text.find(';', i + 1);
  if (semi == std::string_view::npos || semi - i > 10) return {0, 0};
  std::string_view name = text.substr(i + 1, semi - i - 1);
  size_t length = semi - i + 1;
  if (name == "amp") return {'&', length};
  if (name == "lt") return {'<', length};
  if (name == "gt") return {'>', length};
  if (name == "quot") return {'"', length};
  if (name == "apos") return {'\'', length};
  if (name.size() < 2 || name[0] != '#') return {0, 0};
  bool hex = name[1] == 'x' || name[1] == 'X';
  std::string_view digits = name.substr(hex ? 2 : 1);
  if (digits.empty()) return {0, 0};
  uint32_t cp = 0;
  for (char c : digits) {
    int d = hex ? hex_digit(c) : (c >= '0' && c <= '9' ? c - '0' : -1);
    if (d < 0 || cp > 0x10FFFF) return {0, 0};
    cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d);
  }
  return cp > 0x10FFFF ? std::pair<uint32_t, size_t>{0, 0} : std::pair<uint32_t, size_t>{cp, length};
}

// What the bytes at text[i] stand for: one byte, one code point, or
// nothing (a soft line break), and how many bytes they take.
struct Unit {
  enum Kind { byte, code_point, nothing } kind;
  uint32_t value;
  size_t length;
};

Unit next_unit(std::string_view text, size_t i) {
  const char c = text[i];
  if (c == '%') {
    // A byte, not a code point: UTF-8 is percent-encoded byte by byte.
    if (long value = hex_at(text, i + 1, 2); value >= 0) return {Unit::byte, uint32_t(value), 3};
  } else if (c == '\\') {
    if (auto [cp, n] = backslash_escape(text, i); n > 0) return {Unit::code_point, cp, n};
  } else if (c == '&') {
    if (auto [cp, n] = character_reference(text, i); n > 0) return {Unit::code_point, cp, n};
  } else if (c == '=') {
    // Quoted-printable (MIME): "=C3=A4", and "=" ending a line that was
    // broken at 76 columns. Upper-case hex only, as RFC 2045 writes it.
    if (text.substr(i + 1, 2) == "\r\n") return {Unit::nothing, 0, 3};
    if (text.substr(i + 1, 1) == "\n") return {Unit::nothing, 0, 2};
    long value = hex_at(text, i + 1, 2);
    if (value >= 0 && !std::islower(static_cast<unsigned char>(text[i + 1])) &&
        !std::islower(static_cast<unsigned char>(text[i + 2]))) {
      return {Unit::byte, uint32_t(value), 3};
    }
  }
  return {Unit::byte, static_cast<unsigned char>(c), 1};
}

// The length of the valid UTF-8 sequence at s[i] (2 to 4), or 0.
size_t utf8_sequence(std::string_view s, size_t i) {
  auto at = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = at(i);
  size_t n = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((at(i + k) & 0xC0) != 0x80) return 0;
  }
  // Overlong forms, surrogates and code points past U+10FFFF.
  const unsigned char second = at(i + 1);
  if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) || (lead == 0xF0 && second < 0x90) ||
      (lead == 0xF4 && second > 0x8F)) {
    return 0;
  }
  return n;
}

// The Latin-1 code point (U+0080 to U+00FF) encoded at s[i], or 0.
unsigned latin1_at(std::string_view s, size_t i) {
  if (i + 1 >= s.size()) return 0;
  auto lead = static_cast<unsigned char>(s[i]), next = static_cast<unsigned char>(s[i + 1]);
  if ((lead != 0xC2 && lead != 0xC3) || (next & 0xC0) != 0x80) return 0;
  return ((lead & 0x1Fu) << 6) | (next & 0x3Fu);
}

// How many bytes of Latin-1 mojibake start at s[i]: UTF-8 whose bytes
// were each taken for a Latin-1 character and encoded again, so that the
// code points, read as bytes, are valid UTF-8 again. Fills the empty
// `bytes` with them, and leaves it empty when there is none.
size_t mojibake_at(std::string_view s, size_t i, std::string& bytes) {
  unsigned lead = latin1_at(s, i);
  size_t n = lead >= 0xC2 && lead <= 0xDF ? 2 : lead >= 0xE0 && lead <= 0xEF ? 3 : lead >= 0xF0 && lead <= 0xF4 ? 4 : 0;
  if (n == 0) return 0;
  for (size_t k = 0; k < n; ++k) {
    unsigned cp = latin1_at(s, i + 2 * k);
    if (cp == 0) break;
    bytes += static_cast<char>(cp);
  }
  if (bytes.size() == n && utf8_sequence(bytes, 0) == n) return 2 * n;
  bytes.clear();
  return 0;
}

// The small letter for a capital of two-byte UTF-8, as Python's
// str.lower() gives it, and one sigma for both of Greek's: Latin-1 (but
// U+00D7 '×'), Latin Extended-A (but U+0130 'İ', whose small letter is
// longer), Greek and Cyrillic. Every other code point as it is; each
// result is two bytes too.
uint32_t small_letter(uint32_t cp) {
  if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) ||
      (cp >= 0x410 && cp <= 0x42F)) {
    return cp + 0x20;
  }
  if (cp >= 0x400 && cp <= 0x40F) return cp + 0x50;
  bool even_pair = (cp >= 0x100 && cp <= 0x137 && cp != 0x130) || (cp >= 0x14A && cp <= 0x177);
  bool odd_pair = (cp >= 0x139 && cp <= 0x148) || cp == 0x179 || cp == 0x17B || cp == 0x17D;
  if ((even_pair && cp % 2 == 0) || (odd_pair && cp % 2 == 1)) return cp + 1;
  if (cp == 0x178) return 0xFF;   // 'Ÿ'
  if (cp == 0x3C2) return 0x3C3;  // final sigma
  return cp;
}

// Folds in place (the result is never longer): whitespace dropped, so that
// a wrap or a re-spacing changes nothing; mojibake read back, case,
// invalid bytes and U+FFFD to kReplacementByte.
void fold(CanonicalText& t) {
  std::string& s = t.bytes;
  std::string chars;
  size_t w = 0;
  for (size_t r = 0; r < s.size();) {
    auto c = static_cast<unsigned char>(s[r]);
    if (is_space(c)) {
      ++r;
      continue;
    }
    if (c < 0x80) {  // most bytes: one for one
      s[w] = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
      t.begin[w] = t.begin[r];
      t.end[w] = t.end[r];
      ++w;
      ++r;
      continue;
    }
    size_t taken = 1;
    chars.clear();
    if (size_t n = mojibake_at(s, r, chars); n > 0) {
      taken = n;
    } else if (size_t valid = utf8_sequence(s, r); valid > 0) {
      taken = valid;
      chars.assign(s, r, valid);
    }
    if (chars.empty() || chars == "\xEF\xBF\xBD") chars = std::string(1, kReplacementByte);
    if (chars.size() == 2) {
      uint32_t cp = small_letter(((uint32_t(uint8_t(chars[0])) & 0x1F) << 6) | (uint8_t(chars[1]) & 0x3F));
      chars[0] = static_cast<char>(0xC0 | (cp >> 6));
      chars[1] = static_cast<char>(0x80 | (cp & 0x3F));
    }
    // Never longer than what it replaces, so writing never overtakes reading.
    const uint32_t b = t.begin[r], e = t.end[r + taken - 1];
    for (char out : chars) {
      s[w] = out;
      t.begin[w] = b;
      t.end[w] = e;
      ++w;
    }
    r += taken;
  }
  s.resize(w);
  t.begin.resize(w);
  t.end.resize(w);
}

CanonicalText undo_escapes(std::string_view text, const CanonicalText* through) {
  CanonicalText out;
  out.bytes.reserve(text.size());
  out.begin.reserve(text.size());
  out.end.reserve(text.size());
  Sink sink{out, through};
  for (size_t i = 0; i < text.size();) {
    const Unit u = next_unit(text, i);
    if (u.kind == Unit::byte) sink.byte(static_cast<unsigned char>(u.value), i, i + u.length);
    if (u.kind == Unit::code_point) sink.code_point(u.value, i, i + u.length);
    i += u.length;
  }
  return out;
}

CanonicalText as_written(std::string_view text) {
  CanonicalText out;
  out.bytes.assign(text);
  out.begin.resize(text.size());
  out.end.resize(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    out.begin[i] = static_cast<uint32_t>(i);
    out.end[i] = static_cast<uint32_t>(i + 1);
  }
  return out;
}

}  // namespace

std::vector<CanonicalText> canonical_views(std::string_view text) {
  std::vector<CanonicalText> views;
  views.push_back(as_written(text));
  // Undone once, and once more where that left escapes: a JSON string
  // inside a JSON string, a percent-encoded JSON escape.
  for (int depth = 0; depth < 2 && has_escapes(views.back().bytes); ++depth) {
    views.push_back(undo_escapes(views.back().bytes, &views.back()));
  }
  for (auto& v : views) fold(v);
  return views;
}

std::vector<std::string> canonical_forms(std::string_view text) {
  std::vector<std::string> out;
  for (auto& v : canonical_views(text)) out.push_back(std::move(v.bytes));
  return out;
}

bool has_escapes(std::string_view text) {
  for (size_t i = text.find_first_of("%\\&="); i != std::string_view::npos; i = text.find_first_of("%\\&=", i + 1)) {
    if (next_unit(text, i).length > 1) return true;
  }
  return false;
}

size_t skip_whitespace(std::string_view text, size_t at) {
  while (at < text.size()) {
    const Unit u = next_unit(text, at);
    if (u.kind != Unit::nothing && !(u.value < 0x80 && is_space(static_cast<unsigned char>(u.value)))) break;
    at += u.length;
  }
  return at;
}


}  // namespace preflight
