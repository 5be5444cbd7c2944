// The built-in profile's knowledge, kept in each protocol's room: the
// variables a protocol's applications are configured with, and the check
// preflight makes of them. config/default_profile.cc gathers the offers
// into phases and names no protocol.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace preflight {

// The default profile's phases, in the order they run.
enum class ProfilePhase : uint8_t { database, cache, services, websocket };

// How strongly an offer claims its slot: the lowest rank in a slot is
// taken (DATABASE_URL before MYSQL_HOST before POSTGRES_HOST before PGHOST;
// a grpc:// *_SERVICE_URL is the gRPC check's before it is HTTP's).
namespace profile_rank {
inline constexpr int kOwnScheme = 0;  // a URL whose scheme names this protocol
inline constexpr int kAnyUrl = 10;    // a URL this protocol takes when no other claims it
inline constexpr int kHostVariable = 20;  // an image's host variables (MYSQL_HOST)
inline constexpr int kClientVariable = 30;  // a client library's own variables (PGHOST)
}  // namespace profile_rank

struct ProfileOffer {
  ProfilePhase phase;
  // At most one check per slot: "database", "broker", or the variable's
  // name where a variable makes a check of its own.
  std::string slot;
  int rank = profile_rank::kOwnScheme;
  std::string name;  // the check's name
  // The check's fields: templates that refer to the variables, so that
  // findings and hints name them ("${DATABASE_URL}").
  nlohmann::json fields;
  // The variable that asked for the check; a phase's checks follow the
  // order of these names.
  std::string variable;
};

// The variables as the profile sees them: present or not, and their values.
class ProfileVariables {
 public:
  virtual ~ProfileVariables() = default;
  virtual const std::string* find(std::string_view name) const = 0;
  // Every variable's name, in order.
  virtual std::vector<std::string_view> names() const = 0;

  bool has(std::string_view name) const { return find(name) != nullptr; }
  std::string value(std::string_view name) const;
  // The spellings of "yes" that redis-py and the frameworks around it accept.
  bool truthy(std::string_view name) const;
  // The scheme of a variable's URL, lower-case ("" without "://").
  std::string scheme_of(std::string_view name) const;
};

// Variables that more than one protocol may claim, by their URL's scheme.
// The message broker's: the first of CELERY_BROKER_URL, AMQP_URL and
// RABBITMQ_URL that is set ("" when none is).
std::string_view broker_variable(const ProfileVariables& vars);
// Every NAME_SERVICE_URL, in order: another service this one calls.
std::vector<std::string_view> service_url_variables(const ProfileVariables& vars);
// ORDERS_API_SERVICE_URL's check is called "orders-api".
std::string service_check_name(std::string_view variable);

}  // namespace preflight
