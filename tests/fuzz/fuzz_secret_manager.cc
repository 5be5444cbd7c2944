// Secret Manager access responses: secrets or an error that never quotes
// payload bytes; never a crash.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/secret_manager.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)preflight::parse_secret_manager_json(text);
  if (auto decoded = preflight::base64_decode(text)) (void)preflight::crc32c(*decoded);
  return 0;
}
