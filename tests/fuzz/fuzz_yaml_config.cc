// The YAML config reader and the schema after it: any bytes give a config
// or an error that names the file with a line and a column; the reader's
// bounds hold (no value nested past them, whatever the aliases do).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/config.h"
#include "config/plan.h"
#include "config/yaml_reader.h"

namespace {

size_t depth(const nlohmann::json& j) {
  size_t deepest = 0;
  if (j.is_structured()) {
    for (const auto& item : j) deepest = std::max(deepest, depth(item) + 1);
  }
  return deepest;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto doc = preflight::read_yaml(text);
  if (doc.ok()) {
    if (depth(doc->value) > 66) std::abort();
  } else if (doc.error().at.line == 0 || doc.error().at.column == 0) {
    std::abort();
  }
  auto config = preflight::parse_config(text, "fuzz.yaml");
  if (!config.ok()) {
    if (!config.error().message.starts_with("fuzz.yaml:")) std::abort();
    return 0;
  }
  preflight::Plan plan = preflight::build_plan(*config, {});
  if (plan.phases.size() != config->phases.size()) std::abort();
  return 0;
}
