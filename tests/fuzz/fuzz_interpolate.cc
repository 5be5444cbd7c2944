// Interpolation: the first line is a template, the rest a dotenv file whose
// values may refer to each other (cycles, deep nesting, doubling). Never a
// crash or a hang, and the output stays bounded.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/dotenv.h"
#include "config/interpolate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto newline = input.find('\n');
  std::string_view tmpl = input.substr(0, newline);
  preflight::VariableSet vars;
  if (newline != std::string_view::npos) {
    auto entries = preflight::parse_dotenv(input.substr(newline + 1));
    if (entries.ok()) {
      for (const auto& e : *entries) {
        vars.define(e.key, preflight::Variable{e.value, "fuzz.env", false, e.expandable, std::nullopt});
      }
    }
  }
  auto out = preflight::interpolate(tmpl, vars);
  // However the values nest, expansion must not blow up memory.
  if (out.text.size() > 16 * 1024 * 1024) std::abort();
  return 0;
}
