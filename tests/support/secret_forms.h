// The exact forms a secret takes when software echoes it back (itself,
// trimmed, one case, percent-encoded, JSON- and HTML-escaped, with its
// invalid UTF-8 replaced, base64 at each alignment): written out one by
// one, for tests that look for a leak in what preflight printed. The
// redactor does not use this list; it reads text in a canonical view.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace preflight::testing {

std::vector<std::string> secret_forms(std::string_view secret);

}  // namespace preflight::testing
