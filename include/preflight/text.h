// Small string helpers shared by parsers, probes and diagnosis.
#pragma once

#include <string>
#include <string_view>

namespace preflight {

// ASCII lower case (host names, header names, libpq messages).
std::string to_lower(std::string_view s);
// Without leading and trailing whitespace.
std::string trim(std::string_view s);

}  // namespace preflight
