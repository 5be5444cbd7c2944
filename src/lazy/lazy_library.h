// The network libraries (libcurl, libpq, libcrypto and the ~30 libraries
// they pull in) are opened on first use, not by the dynamic loader at exec:
// mapping them costs ~13 ms here, which every run paid before it could
// print a version, lint a config or report a placeholder found offline.
// The functions preflight calls are defined in the *_stubs.cc files beside
// this one, each forwarding to the real function found with dlsym.
#pragma once

namespace preflight::lazy {

// The address of `symbol` in the shared library `soname`, opened on the
// first call. A library or symbol that cannot be found ends the process
// with exit 1 and a message naming both: the install is broken.
void* symbol(const char* soname, const char* package, const char* symbol);

}  // namespace preflight::lazy

// Defines the stub's static pointer `real`, typed as the function it stands in for.
#define PREFLIGHT_LAZY_REAL(soname, package, function) \
  static const auto real = reinterpret_cast<decltype(&::function)>(preflight::lazy::symbol(soname, package, #function))
