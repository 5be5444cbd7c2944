// URL parsing and what is shown of a URL: a parsed password never is.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto url = preflight::parse_url(text);
  if (url.ok()) {
    (void)url->authority(1);
    std::string shown = preflight::shown_url(*url);
    const auto& pw = url->password;
    if (pw && pw->size() >= 3 && *pw != "***" && shown.find(":" + *pw + "@") != std::string::npos) std::abort();
  }
  return 0;
}
