#include "base/text.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace preflight {

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  for (size_t start = 0;;) {
    const size_t end = s.find(sep, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

std::string join_at_most(const std::vector<std::string>& items, size_t at_most) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < at_most; ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  if (items.size() > at_most) out += fmt::format(", … and {} more", items.size() - at_most);
  return out;
}

std::optional<std::string> edge_white_space(std::string_view value) {
  auto name = [](char c) -> const char* {
    switch (c) {
      case '\n': return "a newline";
      case '\r': return "a carriage return";
      case '\t': return "a tab";
      case ' ': return "a space";
      default: return nullptr;
    }
  };
  if (value.empty()) return std::nullopt;
  if (const char* n = name(value.back())) return fmt::format("ends with {}", n);
  if (const char* n = name(value.front())) return fmt::format("begins with {}", n);
  return std::nullopt;
}

std::string mask_spans(std::string_view text, std::vector<std::pair<size_t, size_t>> spans) {
  if (spans.empty()) return std::string(text);
  std::sort(spans.begin(), spans.end());
  std::string out;
  size_t copied = 0;
  for (size_t i = 0; i < spans.size();) {
    size_t begin = spans[i].first, end = spans[i].second;
    for (++i; i < spans.size() && spans[i].first <= end; ++i) end = std::max(end, spans[i].second);
    out.append(text.substr(copied, begin - copied));
    out += "***";
    copied = end;
  }
  out.append(text.substr(copied));
  return out;
}

}  // namespace preflight
