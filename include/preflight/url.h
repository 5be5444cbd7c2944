// URLs of check targets: scheme://[user[:password]@]host[:port][/path][?query].
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "preflight/result.h"

namespace preflight {

struct Url {
  std::string scheme;  // lower-cased
  std::string username;                 // percent-decoded
  std::optional<std::string> password;  // percent-decoded
  std::string host;                     // IPv6 without brackets
  std::optional<uint16_t> port;
  std::string path;   // with its leading '/', or empty
  std::string query;  // without '?'

  bool host_is_ipv6() const { return host.find(':') != std::string::npos; }
  // "host:port" with IPv6 bracketed, for messages and libcurl URLs.
  std::string authority(uint16_t default_port) const;
};

// The error is a sentence such as "port 99999 is out of range (1-65535)".
// It never repeats the password.
Result<Url, std::string> parse_url(std::string_view text);

// %XX escapes decoded; nullopt when an escape is not two hex digits.
std::optional<std::string> percent_decode(std::string_view s);

// `path` joined to the URL's path, the URL being a base whatever slash it
// ends with; the query and fragment stay at the end. An empty `path` leaves
// the URL as it is.
std::string join_url_path(const std::string& url, const std::string& path);

// The URL with its password (and secret-looking query values) replaced by
// "***". Works on text that does not parse as a URL too.
std::string redact_url(std::string_view text);

}  // namespace preflight
