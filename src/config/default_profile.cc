#include "preflight/default_profile.h"

#include <fmt/format.h>

#include "preflight/probe.h"

namespace preflight {
namespace {

using json = nlohmann::json;

class ProfileBuilder {
 public:
  ProfileBuilder(const VariableSet& vars, std::vector<std::string>& unsupported)
      : vars_(vars), unsupported_(unsupported) {}

  bool has(std::string_view name) const { return vars_.find(name) != nullptr; }

  void add(PhaseSpec& phase, const std::string& name, const std::string& type, json fields, const std::string& why) {
    if (find_probe_type(type) == nullptr) {
      unsupported_.push_back(fmt::format("{} (a {} check)", why, type));
      return;
    }
    fields["name"] = name;
    fields["type"] = type;
    phase.checks.push_back({name, type, true, std::move(fields),
                            fmt::format("{}/checks/{}", phase.json_path, phase.checks.size())});
  }

 private:
  const VariableSet& vars_;
  std::vector<std::string>& unsupported_;
};

PhaseSpec phase(std::string name, std::string timeout, int index) {
  return {std::move(name), std::move(timeout), fmt::format("/phases/{}", index), {}};
}

}  // namespace

ConfigFile default_profile(const VariableSet& vars, std::vector<std::string>& unsupported) {
  ProfileBuilder b(vars, unsupported);
  ConfigFile config;
  config.name = "default profile";

  PhaseSpec database = phase("database", "15s", 0);
  if (b.has("DATABASE_URL")) {
    b.add(database, "postgres", "postgres", {{"url", "${DATABASE_URL}"}}, "DATABASE_URL");
  } else if (b.has("POSTGRES_HOST")) {
    b.add(database, "postgres", "postgres",
          {{"url", "postgres://${POSTGRES_HOST}:${POSTGRES_PORT:-5432}/${POSTGRES_DB:-postgres}"},
           {"user", "${POSTGRES_USER:-postgres}"},
           {"password", "${POSTGRES_PASSWORD:-}"}},
          "POSTGRES_HOST");
  }

  PhaseSpec cache = phase("cache", "5s", 1);
  if (b.has("REDIS_URL")) {
    b.add(cache, "redis", "redis", {{"url", "${REDIS_URL}"}}, "REDIS_URL");
  } else if (b.has("REDIS_HOST")) {
    const Variable* ssl = vars.find("REDIS_SSL");
    bool tls = ssl && (ssl->value == "true" || ssl->value == "1" || ssl->value == "yes");
    json fields{{"url", fmt::format("{}://${{REDIS_HOST}}:${{REDIS_PORT:-6379}}/${{REDIS_DB:-0}}", tls ? "rediss" : "redis")}};
    if (b.has("REDIS_PASSWORD")) fields["password"] = "${REDIS_PASSWORD}";
    if (b.has("REDIS_USERNAME")) fields["username"] = "${REDIS_USERNAME}";
    b.add(cache, "redis", "redis", std::move(fields), "REDIS_HOST");
  }

  PhaseSpec services = phase("services", "15s", 2);
  for (const auto& [name, unused] : vars.all()) {
    if (name.size() <= 12 || !name.ends_with("_SERVICE_URL")) continue;
    std::string check = name.substr(0, name.size() - 12);
    for (char& c : check) c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // "/health" unless the URL already has a path.
    const std::string& url = vars.find(name)->value;  // find(): the value may come from a NAME_FILE
    auto after_scheme = url.find("://");
    bool has_path = after_scheme != std::string::npos && url.find('/', after_scheme + 3) != std::string::npos;
    b.add(services, check, "http", {{"url", fmt::format("${{{}}}{}", name, has_path ? "" : "/health")}}, name);
  }

  PhaseSpec websocket = phase("websocket", "10s", 3);
  if (b.has("WEBSOCKET_URL")) b.add(websocket, "websocket", "websocket", {{"url", "${WEBSOCKET_URL}"}}, "WEBSOCKET_URL");

  config.phases = {std::move(database), std::move(cache), std::move(services), std::move(websocket)};
  return config;
}

}  // namespace preflight
