// The preflight binary the integration tests run.
#pragma once

#include <cstdlib>
#include <string>

#include "process.h"

namespace preflight::testing {

// The binary this build made, or the one PREFLIGHT_BINARY_UNDER_TEST names:
// another build of the same source (a static flavour, the Release binary a
// user gets) run through the same tests.
inline std::string binary_under_test() {
  const char* other = std::getenv("PREFLIGHT_BINARY_UNDER_TEST");
  return other && *other ? other : PREFLIGHT_BINARY;
}

// The binary's `--version` line, which names its flavour; asked once.
inline const std::string& binary_under_test_version() {
  static const std::string version = run({binary_under_test(), "--version"}).out;
  return version;
}

// Whether the binary under test is the dynamic flavour, which opens its
// network libraries on first use (src/lazy/); a static one has them all.
inline bool binary_under_test_is_dynamic() { return binary_under_test_version().find(", dynamic:") != std::string::npos; }

inline bool binary_under_test_is_fully_static() {
  return binary_under_test_version().find(", fully static") != std::string::npos;
}

#define SKIP_UNLESS_DYNAMIC_BINARY()                                                                   \
  if (!binary_under_test_is_dynamic())                                                                 \
  GTEST_SKIP() << binary_under_test() << " is a static build: it opens no library, lazily or not"

}  // namespace preflight::testing
