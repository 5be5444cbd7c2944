#include "lazy/lazy_library.h"

#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <string>

#include "base/exit_codes.h"

namespace preflight::lazy {
namespace {

[[noreturn]] void broken_install(const char* what, const char* package) {
  std::fprintf(stderr, "preflight: %s; the install is broken (reinstall %s)\n", what, package);
  std::_Exit(exit_code::internal_error);
}

}  // namespace

void* symbol(const char* soname, const char* package, const char* name) {
  static std::mutex mutex;
  static std::map<std::string, void*> handles;
  void* handle = nullptr;
  {
    std::lock_guard lock(mutex);
    auto& slot = handles[soname];
    if (!slot) slot = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (!slot) broken_install(dlerror(), package);
    handle = slot;
  }
  void* address = dlsym(handle, name);
  if (!address) broken_install(dlerror(), package);
  return address;
}

}  // namespace preflight::lazy
