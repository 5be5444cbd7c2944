// The escapes of the corpus files in tests/corpus/: a line cannot hold a
// newline, a carriage return or a tab, written {LF}, {CR}, {TAB}; in an
// input, {SP} is a space (readings are space-separated).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace preflight::testing {

inline std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

inline const std::vector<std::pair<std::string, std::string>>& corpus_escapes() {
  static const std::vector<std::pair<std::string, std::string>> escapes = {{"{LF}", "\n"}, {"{CR}", "\r"}, {"{TAB}", "\t"}};
  return escapes;
}

// An input as written in a corpus file, as the client receives it.
inline std::string unescape_input(std::string text) {
  text = replace_all(std::move(text), "{SP}", " ");
  for (const auto& [name, c] : corpus_escapes()) text = replace_all(std::move(text), name, c);
  return text;
}

// A reading as a corpus file writes it.
inline std::string escape_reading(std::string text) {
  for (const auto& [name, c] : corpus_escapes()) text = replace_all(std::move(text), c, name);
  return text;
}

}  // namespace preflight::testing
