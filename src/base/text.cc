#include "base/text.h"

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

std::string join_at_most(const std::vector<std::string>& items, size_t at_most) {
  std::string out;
  for (size_t i = 0; i < items.size() && i < at_most; ++i) {
    if (i > 0) out += ", ";
    out += items[i];
  }
  if (items.size() > at_most) out += fmt::format(", … and {} more", items.size() - at_most);
  return out;
}

}  // namespace preflight
