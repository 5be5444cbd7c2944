#include "base/well_known_passwords.h"

#include <algorithm>
#include <array>

#include "base/text.h"

namespace preflight {
namespace {

// The servers' and images' defaults (RabbitMQ's guest, the postgres and
// mysql images' examples, Bitnami's and docker-compose samples), Java's
// keystore default, and the top of the leaked-password lists.
constexpr std::array<std::string_view, 32> kWellKnown = {
    "password", "passw0rd", "password1", "secret",   "changeme", "changeit", "admin",    "admin123",
    "root",     "toor",     "guest",     "redis",    "postgres", "postgresql", "mysql",  "mariadb",
    "rabbitmq", "nats",     "memcached", "default",  "test",     "example",  "pass",     "letmein",
    "qwerty",   "123456",   "12345678",  "docker",   "dev",      "local",    "app",      "user"};

}  // namespace

bool is_well_known_password(std::string_view value) {
  const std::string lower = to_lower(value);
  return std::find(kWellKnown.begin(), kWellKnown.end(), lower) != kWellKnown.end();
}

}  // namespace preflight
