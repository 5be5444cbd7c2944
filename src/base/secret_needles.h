// What the redactor looks for, in the canonical view, for one secret.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/redact.h"

namespace preflight {

// The secret itself in each of its canonical forms (as written, escapes
// in it undone: a secret can hold what reads as an escape; without the
// invalid bytes at its ends), byte for byte when it has bytes >= 0x80,
// with '+' for its spaces (a form field), and its base64 (standard and URL-safe, at each alignment inside
// longer base64 text) and lower-case hex, all in canonical form. Encodings
// shorter than Redactor::kMinSubstringLength are left out. Nothing for a
// secret of punctuation and whitespace alone.
std::vector<Redactor::Needle> secret_needles(std::string_view secret);

// The base64 characters that depend only on `s` when it starts `offset`
// (0 to 2) bytes into a longer base64-encoded text (as in "user:PASSWORD"
// or a token inside a JSON web token): the characters shared with the
// bytes before and after it are left out.
std::string base64_within(std::string_view s, size_t offset);

}  // namespace preflight
