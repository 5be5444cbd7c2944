// Failure kinds and the error value every fallible step returns.
#pragma once

#include <string>
#include <string_view>

#include <fmt/core.h>

namespace preflight {

// The failure kinds of the reports (docs/reference.md, "Failure kinds").
enum class FailureKind {
  placeholder,
  unset_variable,
  invalid_config,
  dns,
  connection_refused,
  timeout,
  tls,
  auth,
  protocol,
  unhealthy,
  interrupted,
};

std::string_view to_string(FailureKind kind);

// True for kinds that another attempt may fix (the dependency is still
// coming up); false for kinds that only a change of configuration fixes.
bool is_retryable(FailureKind kind);

struct Failure {
  FailureKind kind = FailureKind::protocol;
  std::string message;  // what happened, with the error text of the layer below
  std::string hint;     // what to do about it; may be empty
};

}  // namespace preflight

// fmt 9 (Debian bookworm) predates format_as: a formatter makes the kind
// printable by fmt and spdlog.
template <>
struct fmt::formatter<preflight::FailureKind> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(preflight::FailureKind kind, Context& ctx) const {
    return fmt::formatter<std::string_view>::format(preflight::to_string(kind), ctx);
  }
};
