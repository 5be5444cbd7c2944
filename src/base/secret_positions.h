// The places in a check where secrets travel besides its variables and the
// credentials its reader finds: header values and each of their words,
// query and fragment parameters with a credential's name, URLs nested in
// them, and request bodies.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace preflight {

// True for names like REDIS_PASSWORD, API_TOKEN, CLIENT_SECRET, PRIVATE_KEY.
bool name_looks_secret(std::string_view name);

// An Authorization scheme, the word before the credential ("Bearer").
bool is_auth_scheme(std::string_view word);
// A header value, and each of its words but the scheme ("Bearer TOKEN":
// TOKEN; "AWS4-HMAC-SHA256 Credential=.., Signature=..": the values too).
void add_header_secrets(std::string_view value, std::vector<std::string>& out);
// "a=1&sig=...": the values of credential parameters (decoded and as
// written), and the credentials of a URL given as any parameter's value.
void add_parameter_secrets(std::string_view query, std::vector<std::string>& out);
// A proxy variable's value (with or without a scheme): whole, and its
// user name and password.
void add_proxy_secrets(std::string_view proxy, std::vector<std::string>& out);
// A request body: whole, and its credential fields as a form or as JSON.
void add_body_secrets(std::string_view body, std::vector<std::string>& out);
// A program's arguments (a command check): URL credentials, the values of
// --password=VALUE and PASSWORD=VALUE, the word after --password, -p
// excepted (a port as often as a password), with any credential's name
// (parameter_looks_secret), and the query parameters of URLs.
void add_argument_secrets(const std::vector<std::string>& argv, std::vector<std::string>& out);

}  // namespace preflight
