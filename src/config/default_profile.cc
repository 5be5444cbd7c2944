#include "preflight/default_profile.h"

#include <fmt/format.h>

#include "preflight/probe.h"
#include "base/text.h"
#include "preflight/url.h"

namespace preflight {
namespace {

using json = nlohmann::json;

class ProfileBuilder {
 public:
  ProfileBuilder(const VariableSet& vars, std::vector<std::string>& unsupported)
      : vars_(vars), unsupported_(unsupported) {}

  bool has(std::string_view name) const { return vars_.find(name) != nullptr; }
  std::string value(std::string_view name) const {
    const Variable* v = vars_.find(name);
    return v ? v->value : std::string();
  }
  // redis-py and the frameworks around it accept any of these spellings.
  bool truthy(std::string_view name) const {
    const Variable* v = vars_.find(name);
    if (!v) return false;
    std::string value = to_lower(trim(v->value));
    return value == "true" || value == "1" || value == "yes" || value == "on" || value == "y" || value == "t";
  }

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

// A DATABASE_URL for MySQL or MariaDB: its scheme (mysql://, mariadb://,
// mysql2://, mysql+DRIVER://, jdbc:mysql://) or a Go DSN's tcp(...) or
// unix(...) address.
bool names_mysql(std::string_view url) {
  std::string lower = to_lower(trim(url));
  if (lower.starts_with("jdbc:")) lower.erase(0, 5);
  size_t sep = lower.find("://");
  if (sep == std::string::npos) return lower.find("@tcp(") != std::string::npos || lower.find("@unix(") != std::string::npos;
  std::string base = lower.substr(0, std::min(sep, lower.find('+')));
  return base == "mysql" || base == "mariadb" || base == "mysql2";
}

// A URL on Cloud Run's own domain (*.run.app).
bool runs_on_cloud_run(const std::string& url) {
  auto parsed = parse_url(trim(url));
  return parsed.ok() && (parsed->host.ends_with(".run.app") || parsed->host == "run.app");
}

PhaseSpec phase(std::string name, std::string timeout, int index) {
  return {.name = std::move(name), .timeout = std::move(timeout), .json_path = fmt::format("/phases/{}", index)};
}

}  // namespace

ConfigFile default_profile(const VariableSet& vars, std::vector<std::string>& unsupported) {
  ProfileBuilder b(vars, unsupported);
  ConfigFile config;
  config.name = "default profile";

  PhaseSpec database = phase("database", "15s", 0);
  if (b.has("DATABASE_URL") && names_mysql(b.value("DATABASE_URL"))) {
    b.add(database, "mysql", "mysql", {{"url", "${DATABASE_URL}"}}, "DATABASE_URL");
  } else if (b.has("DATABASE_URL")) {
    b.add(database, "postgres", "postgres", {{"url", "${DATABASE_URL}"}}, "DATABASE_URL");
  } else if (b.has("MYSQL_HOST")) {
    // The official image's variables; a host that is a path is a socket
    // (Cloud SQL for MySQL: /cloudsql/PROJECT:REGION:INSTANCE).
    std::string url = b.value("MYSQL_HOST").starts_with('/')
                          ? "mysql:///${MYSQL_DATABASE:-}?unix_socket=${MYSQL_HOST}"
                          : "mysql://${MYSQL_HOST}:${MYSQL_PORT:-3306}/${MYSQL_DATABASE:-}";
    b.add(database, "mysql", "mysql",
          {{"url", url}, {"user", "${MYSQL_USER:-root}"}, {"password", "${MYSQL_PASSWORD:-}"}}, "MYSQL_HOST");
  } else if (b.has("POSTGRES_HOST")) {
    // ?host= takes what the authority cannot: a socket directory such as
    // /cloudsql/PROJECT:REGION:INSTANCE, or an IPv6 literal.
    b.add(database, "postgres", "postgres",
          {{"url", "postgresql:///${POSTGRES_DB:-postgres}?host=${POSTGRES_HOST}&port=${POSTGRES_PORT:-5432}"},
           {"user", "${POSTGRES_USER:-postgres}"},
           {"password", "${POSTGRES_PASSWORD:-}"}},
          "POSTGRES_HOST");
  } else if (b.has("PGHOST") || b.has("PGDATABASE")) {
    // libpq's own variables, read as libpq reads them.
    b.add(database, "postgres", "postgres",
          {{"url", "postgresql:///${PGDATABASE:-}?host=${PGHOST:-}&port=${PGPORT:-5432}"},
           {"user", "${PGUSER:-}"},
           {"password", "${PGPASSWORD:-}"},
           {"sslmode", "${PGSSLMODE:-}"},
           {"sslrootcert", "${PGSSLROOTCERT:-}"}},
          b.has("PGHOST") ? "PGHOST" : "PGDATABASE");
  }

  PhaseSpec cache = phase("cache", "5s", 1);
  const bool redis_url = b.has("REDIS_URL");
  if (redis_url || b.has("REDIS_HOST")) {
    json fields;
    bool tls = false;
    if (redis_url) {
      fields["url"] = "${REDIS_URL}";
      tls = to_lower(vars.find("REDIS_URL")->value).starts_with("rediss:");
    } else {
      tls = b.truthy("REDIS_SSL");
      fields["url"] = fmt::format("{}://${{REDIS_HOST}}:${{REDIS_PORT:-6379}}/${{REDIS_DB:-0}}", tls ? "rediss" : "redis");
    }
    // A password beside a URL without credentials, as applications pass it
    // (redis.from_url(REDIS_URL, password=...)); Laravel writes "null" for none.
    bool url_has_credentials = redis_url && vars.find("REDIS_URL")->value.find('@') != std::string::npos;
    if (const Variable* pw = vars.find("REDIS_PASSWORD"); pw && pw->value != "null" && !url_has_credentials) {
      fields["password"] = "${REDIS_PASSWORD}";
    }
    if (b.has("REDIS_USERNAME") && !url_has_credentials) fields["username"] = "${REDIS_USERNAME}";
    if (tls && b.has("REDIS_SSL_CA_CERTS")) fields["ca_file"] = "${REDIS_SSL_CA_CERTS}";
    if (tls && b.has("REDIS_SSL_CERT_REQS") && to_lower(vars.find("REDIS_SSL_CERT_REQS")->value).ends_with("none")) {
      fields["insecure_skip_verify"] = true;
    }
    // The application writes: a replica (a failover's old primary, a read
    // endpoint) would fail it with READONLY.
    fields["role"] = "primary";
    b.add(cache, "redis", "redis", std::move(fields), redis_url ? "REDIS_URL" : "REDIS_HOST");
  }

  // memcached: MEMCACHED_URL, or MEMCACHED_HOST (+ MEMCACHED_PORT).
  if (b.has("MEMCACHED_URL")) {
    b.add(cache, "memcached", "memcached", {{"url", "${MEMCACHED_URL}"}}, "MEMCACHED_URL");
  } else if (b.has("MEMCACHED_HOST")) {
    b.add(cache, "memcached", "memcached", {{"url", "memcached://${MEMCACHED_HOST}:${MEMCACHED_PORT:-11211}"}},
          "MEMCACHED_HOST");
  }

  // A *_SERVICE_URL is a base URL: /health is joined to its path, and any
  // HTTP answer below 500 means the service is up (a health route that does
  // not exist answers 404, which is still an answer). A grpc:// one gets
  // the gRPC health check.
  PhaseSpec services = phase("services", "15s", 2);
  // NATS_URL as nats.go and nats.py read it (a server or a list).
  if (b.has("NATS_URL")) b.add(services, "nats", "nats", {{"url", "${NATS_URL}"}}, "NATS_URL");
  // A message broker: the first of these that is set; Celery's broker URL
  // may name Redis instead, and then gets a redis check.
  for (const char* name : {"CELERY_BROKER_URL", "AMQP_URL", "RABBITMQ_URL"}) {
    if (!b.has(name)) continue;
    const std::string url = b.value(name);
    const std::string scheme = to_lower(url.substr(0, url.find("://")));
    const bool redis = scheme == "redis" || scheme == "rediss";
    b.add(services, redis ? "broker" : "amqp", redis ? "redis" : "amqp", {{"url", fmt::format("${{{}}}", name)}}, name);
    break;
  }
  for (const auto& [name, unused] : vars.all()) {
    if (name.size() <= 12 || !name.ends_with("_SERVICE_URL")) continue;
    std::string check = name.substr(0, name.size() - 12);
    for (char& c : check) c = c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // grpc:// and grpcs:// get the standard health check instead.
    const std::string scheme = to_lower(b.value(name).substr(0, b.value(name).find("://")));
    if (scheme == "grpc" || scheme == "grpcs") {
      b.add(services, check, "grpc", {{"url", fmt::format("${{{}}}", name)}}, name);
      continue;
    }
    nlohmann::json fields = {{"url", fmt::format("${{{}}}", name)}, {"health_path", "/health"}, {"expect", {{"status", {"200-499"}}}}};
    // On Cloud Run, another Cloud Run service is private unless made public:
    // it is called with an identity token, as service-to-service calls are.
    if (b.has("K_SERVICE") && runs_on_cloud_run(b.value(name))) fields["auth"] = "google-id-token";
    b.add(services, check, "http", std::move(fields), name);
  }

  PhaseSpec websocket = phase("websocket", "10s", 3);
  if (b.has("WEBSOCKET_URL")) b.add(websocket, "websocket", "websocket", {{"url", "${WEBSOCKET_URL}"}}, "WEBSOCKET_URL");

  config.phases = {std::move(database), std::move(cache), std::move(services), std::move(websocket)};
  return config;
}

}  // namespace preflight
