// Where exec would find a program: the one lookup for the command after
// `--` and for a command check.
#pragma once

#include <optional>
#include <string>

namespace preflight {

// execvp's search: a name with a slash is that path, as it is; else the
// first executable regular file of that name in `path`'s directories (an
// empty entry is the working directory). nullopt when there is none.
std::optional<std::string> find_on_path(const std::string& command, const std::string& path);

}  // namespace preflight
