// The config loader and the plan built from it: any bytes give a config or
// an error that names the file; a config always gives a plan (no I/O).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config.h"
#include "config/plan.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = preflight::parse_config(text, "fuzz.json");
  if (!config.ok()) {
    if (config.error().message.find("fuzz.json") == std::string::npos) std::abort();
    return 0;
  }
  preflight::Plan plan = preflight::build_plan(*config, {});
  if (plan.phases.size() != config->phases.size()) std::abort();
  return 0;
}
