// Small string helpers shared by parsers, probes and diagnosis.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace preflight {

// ASCII lower case (host names, header names, libpq messages).
std::string to_lower(std::string_view s);
// Without leading and trailing whitespace.
std::string trim(std::string_view s);
// The pieces between each `sep`, empty ones included ("a//b": "a", "", "b").
std::vector<std::string_view> split(std::string_view s, char sep);
// "a, b, c" — or, past `at_most` items, "a, b, … and 998 more": one line
// that names a thousand failed checks helps nobody (the JSON has them all).
std::string join_at_most(const std::vector<std::string>& items, size_t at_most);
// "ends with a newline", "begins with a space"... (a carriage return, a
// tab); nullopt when neither end of `value` is white space. Invisible in
// every output, and sent to a server as part of the value.
std::optional<std::string> edge_white_space(std::string_view value);
// `text` with each of the byte ranges [begin, end) written "***", ranges
// that overlap or touch as one.
std::string mask_spans(std::string_view text, std::vector<std::pair<size_t, size_t>> spans);

}  // namespace preflight
