#include "preflight/variables.h"

#include <algorithm>
#include <cctype>

namespace preflight {

const Variable* VariableSet::find(std::string_view name) const {
  auto it = vars_.find(name);
  return it == vars_.end() ? nullptr : &it->second;
}

void VariableSet::define(const std::string& name, Variable var) {
  auto it = vars_.find(name);
  if (it == vars_.end()) {
    vars_.emplace(name, std::move(var));
    return;
  }
  if (it->second.value != var.value && it->second.source != var.source) {
    conflicts_.push_back({name, var.source, it->second.source});
  }
  var.secret = var.secret || it->second.secret;
  it->second = std::move(var);
}

bool name_looks_secret(std::string_view name) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  for (std::string_view word : {"PASSWORD", "PASSWD", "PASS", "PWD", "SECRET", "TOKEN",
                                "CREDENTIAL", "PRIVATE_KEY", "API_KEY", "APIKEY", "AUTH"}) {
    if (upper.find(word) != std::string::npos) return true;
  }
  return false;
}

}  // namespace preflight
