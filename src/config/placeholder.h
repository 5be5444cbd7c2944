// Recognising template placeholders that were never replaced at deploy time.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace preflight {

// Returns why `value` looks like an unreplaced placeholder ("your-…",
// "<…>", "{{…}}", a leftover "${…}", "changeme", "REPLACE…", "TODO",
// "FIXME", "xxx…"), case-insensitively, or nullopt. Ordinary host names,
// IP addresses and random passwords are not flagged.
// With `opaque` (a secret: generated passwords hold any character), "${",
// "{{...}}" and "<...>" count only when they are the whole value.
std::optional<std::string> placeholder_reason(std::string_view value, bool opaque = false);

// Returns why `host` is a documentation or reserved name that cannot be a
// real deployment target (example.com/.net/.org, *.example, *.test,
// *.invalid), or nullopt.
std::optional<std::string> reserved_host_reason(std::string_view host);

// A looser test, for a host name that failed to resolve: why it reads like
// a template slot rather than a real name ("redis-instance-ip",
// "REDIS_HOST", "my-db-host"), or nullopt. Too eager to block a check
// before it runs; right for explaining an NXDOMAIN.
std::optional<std::string> template_like_host_reason(std::string_view host);

}  // namespace preflight
