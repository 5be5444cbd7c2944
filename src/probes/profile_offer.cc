#include "probes/profile_offer.h"

#include <cctype>

#include "base/text.h"

namespace preflight {

std::string ProfileVariables::value(std::string_view name) const {
  const std::string* v = find(name);
  return v ? *v : std::string();
}

bool ProfileVariables::truthy(std::string_view name) const {
  const std::string* v = find(name);
  if (!v) return false;
  std::string value = to_lower(trim(*v));
  return value == "true" || value == "1" || value == "yes" || value == "on" || value == "y" || value == "t";
}

std::string ProfileVariables::scheme_of(std::string_view name) const {
  std::string v = trim(value(name));
  size_t sep = v.find("://");
  return sep == std::string::npos ? std::string() : to_lower(v.substr(0, sep));
}

std::string_view broker_variable(const ProfileVariables& vars) {
  for (std::string_view name : {"CELERY_BROKER_URL", "AMQP_URL", "RABBITMQ_URL"}) {
    if (vars.has(name)) return name;
  }
  return {};
}

namespace {
constexpr std::string_view kServiceUrlSuffix = "_SERVICE_URL";
}

std::vector<std::string_view> service_url_variables(const ProfileVariables& vars) {
  std::vector<std::string_view> out;
  for (std::string_view name : vars.names()) {
    if (name.size() > kServiceUrlSuffix.size() && name.ends_with(kServiceUrlSuffix)) out.push_back(name);
  }
  return out;
}

std::string service_check_name(std::string_view variable) {
  std::string check(variable.substr(0, variable.size() - kServiceUrlSuffix.size()));
  for (char& c : check) c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return check;
}

}  // namespace preflight
