// Duration parsing: anything parsed is non-negative and formats back.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/duration.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto d = preflight::parse_duration(text);
  if (d) {
    if (d->count() < 0) std::abort();
    if (preflight::format_seconds(*d).empty()) std::abort();
  }
  return 0;
}
