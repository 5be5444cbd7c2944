// Hint sentences that several protocols' hints share, each for a cause
// its probe named. Generic diagnosis uses the password one too.
#pragma once

#include <string>
#include <string_view>

#include "probes/probe.h"

namespace preflight {

// "the password from NAME (source) was rejected: ..." (with `more` after
// it), or "the credentials were rejected: ..." when no variable holds it.
std::string rejected_password_hint(const HintContext& context, std::string_view more = {});

// A server at its connection limit; `setting` names the limit
// ("max_connections", "maxclients").
std::string connection_limit_hint(std::string_view setting, std::string_view pooler_advice);

// A database name or index the server does not have.
std::string no_such_database_hint(const HintContext& context);

}  // namespace preflight
