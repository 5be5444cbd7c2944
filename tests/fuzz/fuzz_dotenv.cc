// Dotenv parsing: any bytes give entries or an error naming a line in the
// input; never a crash, a hang or an entry with an invalid key.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/dotenv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = preflight::parse_dotenv(text);
  if (!parsed.ok()) {
    // Every error names the line it stopped at.
    if (!parsed.error().origin.starts_with("line ") || parsed.error().message.empty()) std::abort();
    return 0;
  }
  for (const auto& e : *parsed) {
    if (e.key.empty() || e.line < 1 || e.value.find('\0') != std::string::npos) std::abort();
  }
  return 0;
}
