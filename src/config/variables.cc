#include "preflight/variables.h"

#include <algorithm>
#include <cctype>
#include <vector>

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
  // Words that mark a secret wherever they stand (DB_PASSWORD, GITHUB_TOKEN).
  for (std::string_view word : {"PASSWORD", "PASSWD", "SECRET", "TOKEN", "CREDENTIAL", "PRIVATE", "APIKEY"}) {
    if (upper.find(word) != std::string::npos) return true;
  }
  std::vector<std::string> tokens;
  std::string cur;
  for (char c : upper) {
    if (c == '_' || c == '-' || c == '.') {
      tokens.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  tokens.push_back(std::move(cur));
  for (const auto& t : tokens) {
    if (t == "PASS" || t == "PWD") return true;
  }
  // KEY and AUTH only as the last word: API_KEY and REDIS_AUTH are secrets,
  // REDIS_KEY_PREFIX and AUTH_SERVICE_URL are not.
  return tokens.back() == "KEY" || tokens.back() == "AUTH";
}

}  // namespace preflight
