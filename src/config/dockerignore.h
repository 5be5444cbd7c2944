// What a Docker build leaves out of the image: .dockerignore patterns as
// Docker reads them (Go's filepath.Match per path segment, "**" for any
// number of segments, "!" exceptions, the last matching line wins, and a
// pattern that matches a directory excludes what it holds).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace preflight {

// True when `dockerignore` (the file's text) excludes `relative`, a path
// inside the build context ("deploy/.env.production").
bool dockerignore_excludes(std::string_view dockerignore, const std::string& relative);

// The nearest .dockerignore in `dir` or a directory above it, and `path`
// relative to that directory; nullopt when there is none or `path` is not
// below it.
struct IgnoreContext {
  std::string dockerignore;  // its path
  std::string relative;
};
std::optional<IgnoreContext> find_dockerignore(const std::string& dir, const std::string& path);

}  // namespace preflight
