#include "probes/common_hints.h"

#include <fmt/format.h>

namespace preflight {

std::string rejected_password_hint(const HintContext& c, std::string_view more) {
  if (c.secret_variable.empty()) return fmt::format("the credentials were rejected: check the password and user name.{}", more);
  return fmt::format("the password from {} ({}) was rejected: check that it is the current one for this server (and "
                     "the user name, if ACLs are used){}{}{}",
                     c.secret_variable, c.secret_source, c.secret_shadowing.empty() ? "." : c.secret_shadowing,
                     c.secret_white_space, more);
}

std::string connection_limit_hint(std::string_view setting, std::string_view pooler_advice) {
  return fmt::format("the server is at its connection limit ({}): more instances or pool slots than it allows? Lower "
                     "each instance's pool size{}; retrying helps only if others disconnect",
                     setting, pooler_advice);
}

std::string no_such_database_hint(const HintContext& c) {
  const std::string database = c.target ? c.target->database : std::string();
  return fmt::format("the server runs but has no such database: create it, or fix the name in the URL{}",
                     c.named_source(database));
}

}  // namespace preflight
