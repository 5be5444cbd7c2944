#include "config/environment_trust.h"

namespace preflight {
namespace {

bool set(const VariableSet& vars, std::string_view name) {
  const Variable* v = vars.find(name);
  return v && !v->value.empty();
}

}  // namespace

EnvironmentTrust environment_trust(const ProbeType& type, const Target& target, const VariableSet& vars) {
  EnvironmentTrust trust;
  if (!target.tls.encrypts() || !target.tls.verify || !target.tls.ca_file.empty()) return trust;
  for (std::string_view name : type.ca_variables) {
    if (set(vars, name)) {
      trust.bundle_variable = name;
      break;
    }
  }
  const auto [bundle, dir, extra] = kGenericCaVariables;
  if (trust.bundle_variable.empty() && set(vars, bundle)) trust.bundle_variable = bundle;
  for (std::string_view name : {dir, extra}) {
    if (set(vars, name)) trust.added_variables.emplace_back(name);
  }
  return trust;
}

}  // namespace preflight
