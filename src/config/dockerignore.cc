#include "config/dockerignore.h"

#include <filesystem>
#include <regex>
#include <sstream>

#include "base/text.h"

namespace preflight {
namespace {

// A pattern as a regular expression over a whole relative path.
std::regex to_regex(std::string_view pattern) {
  std::string re;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '*' && i + 1 < pattern.size() && pattern[i + 1] == '*') {
      // "**/" is any number of directories, none included; "**" alone any path.
      if (i + 2 < pattern.size() && pattern[i + 2] == '/') {
        re += "(.*/)?";
        i += 2;
      } else {
        re += ".*";
        ++i;
      }
    } else if (c == '*') {
      re += "[^/]*";
    } else if (c == '?') {
      re += "[^/]";
    } else if (c == '[') {
      size_t end = pattern.find(']', i + 1);
      if (end == std::string_view::npos) {
        re += "\\[";
        continue;
      }
      re += "[" + std::string(pattern.substr(i + 1, end - i - 1)) + "]";
      i = end;
    } else if (c == '\\' && i + 1 < pattern.size()) {
      re += "\\";
      re += pattern[++i];
    } else {
      if (std::string_view(".+()|{}$^").find(c) != std::string_view::npos) re += '\\';
      re += c;
    }
  }
  return std::regex(re);
}

// filepath.Clean's work on a pattern: no leading "/" or "./", no trailing "/".
std::string clean(std::string pattern) {
  while (pattern.starts_with("./")) pattern.erase(0, 2);
  while (pattern.starts_with("/")) pattern.erase(0, 1);
  while (pattern.size() > 1 && pattern.ends_with("/")) pattern.pop_back();
  return pattern;
}

}  // namespace

bool dockerignore_excludes(std::string_view dockerignore, const std::string& relative) {
  bool excluded = false;
  std::istringstream lines{std::string(dockerignore)};
  for (std::string line; std::getline(lines, line);) {
    line = trim(line);
    if (line.empty() || line.starts_with('#')) continue;
    const bool exception = line.starts_with('!');
    std::string pattern = clean(exception ? trim(line.substr(1)) : line);
    if (pattern.empty()) continue;
    std::regex re;
    try {
      re = to_regex(pattern);
    } catch (const std::regex_error&) {
      continue;  // Docker rejects such a file; not ours to judge here
    }
    // The path itself, or a directory above it.
    bool matches = std::regex_match(relative, re);
    for (size_t slash = relative.find('/'); !matches && slash != std::string::npos; slash = relative.find('/', slash + 1)) {
      matches = std::regex_match(relative.substr(0, slash), re);
    }
    if (matches) excluded = !exception;
  }
  return excluded;
}

std::optional<IgnoreContext> find_dockerignore(const std::string& dir, const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path file = fs::weakly_canonical(fs::absolute(path, ec), ec);
  for (fs::path d = fs::weakly_canonical(fs::absolute(dir, ec), ec); !d.empty(); d = d.parent_path()) {
    if (fs::exists(d / ".dockerignore", ec)) {
      fs::path relative = file.lexically_relative(d);
      if (relative.empty() || relative.string().starts_with("..")) return std::nullopt;
      return IgnoreContext{(d / ".dockerignore").string(), relative.generic_string()};
    }
    if (d == d.parent_path()) break;
  }
  return std::nullopt;
}

}  // namespace preflight
