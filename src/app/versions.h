// What this binary is made of, for --version: a user checking a security
// advisory needs the versions of the libraries it runs with, not only its own.
#pragma once

#include <string>

namespace preflight {

// "preflight 0.1.0 (git 0123abcd4567, dynamic: libraries opened on first
// use)" and, with `libraries`, one line per library it uses: the version
// loaded now (a shared library updated by the system shows its new
// version without a rebuild) or, where a library cannot say, the one it
// was compiled against.
std::string version_text(bool libraries);

}  // namespace preflight
