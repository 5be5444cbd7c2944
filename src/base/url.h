// URLs of check targets: scheme://[user[:password]@]host[:port][/path][?query].
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace preflight {

struct Url {
  std::string scheme;  // lower-cased
  std::string username;                 // percent-decoded
  std::optional<std::string> password;  // percent-decoded
  std::string host;                     // IPv6 without brackets
  std::optional<uint16_t> port;
  std::string path;   // with its leading '/', or empty
  std::string query;  // without '?'
  std::string fragment;  // without '#' (kept only to find credentials in it)

  bool host_is_ipv6() const { return host.find(':') != std::string::npos; }
  // "host:port" with IPv6 bracketed, for messages and libcurl URLs.
  std::string authority(uint16_t default_port) const;
};

// The error is a sentence such as "port 99999 is out of range (1-65535)"
// that names the part that is wrong and never quotes the text: a password
// with an unencoded '/' or '@' would otherwise show up as the port or host.
Result<Url, std::string> parse_url(std::string_view text);

// %XX escapes decoded; nullopt when an escape is not two hex digits.
std::optional<std::string> percent_decode(std::string_view s);

// A host as a URL writes it: an IPv6 literal in brackets.
std::string host_in_url(std::string_view host);

// `path` joined to the URL's path, the URL being a base whatever slash it
// ends with; the query and fragment stay at the end. An empty `path` leaves
// the URL as it is.
std::string join_url_path(const std::string& url, const std::string& path);

// The URL as it may be shown, built from its parts: the password, a lone
// user name (https://TOKEN@host), credential query values and URLs with
// credentials nested in the query are "***"; the fragment is left out.
std::string shown_url(const Url& url);
// True for query, form and JSON keys that carry credentials: password,
// token, sig, X-Amz-Signature, code, access_token, client_secret...
bool parameter_looks_secret(std::string_view name);

}  // namespace preflight
