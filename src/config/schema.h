// The JSON Schema (draft 2020-12) of the config file, generated from the
// probe registry so that it always matches what the parser accepts.
#pragma once

#include <string>

namespace preflight {

std::string config_schema_json();

}  // namespace preflight
