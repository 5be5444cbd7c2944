// What a health endpoint's JSON body says is failing, read in the formats
// the common health libraries write: Spring Boot Actuator
// ({"status":"DOWN","components":{"db":{"status":"DOWN","details":{"error":..}}}}),
// ASP.NET Core health checks ("entries", "Unhealthy", "description",
// "exception"), the IETF health+json draft ("checks", "fail", "output"),
// MicroProfile Health ("checks":[{"name":..,"status":"DOWN","data":..}]) and
// health-go ("failures":{"postgres":"..."}). A 503's first bytes are its
// overall status; the reason is in the component that failed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace preflight {

struct FailingComponent {
  std::string name;    // "db", "components/db/components/primary"
  std::string status;  // as the body writes it: "DOWN", "Unhealthy", "fail"
  std::string reason;  // its error, message, output...; "" when it gives none
};

// The failing components deepest in the tree (a failing parent of a failing
// child is left out), in the body's order, at most `at_most`; none when the
// body is not JSON or names no failing component.
std::vector<FailingComponent> failing_components(std::string_view body, size_t at_most = 3);

}  // namespace preflight
