// Credentials that nobody registered, found by where they stand in text a
// peer wrote: a redirect's Location with a password or an access_token, a
// Cookie echoed back, OAuth's oauth_token="...", a JSON field named
// client_assertion, a JWT or a Google access token quoted in an error.
// A Redactor masks what it was told; this masks what a server made up.
// Used on peer text only: preflight's own words ("password: from .env:3")
// would be masked by the same rules.
#pragma once

#include <string>
#include <string_view>

namespace preflight {

// `text` with the value at every credential position written "***":
//  - a URL's password (scheme://user:PASSWORD@), and the lone user of an
//    http(s) or ws(s) URL (https://TOKEN@host);
//  - NAME=VALUE and NAME="VALUE" where NAME is a credential's name
//    (parameter_looks_secret: access_token, X-Amz-Signature, passcode...);
//  - "NAME": "VALUE" and 'NAME': 'VALUE' (JSON, and Python's repr), also
//    with escaped quotes (JSON inside a JSON string);
//  - a credential header written as a line (Authorization: Bearer VALUE,
//    Cookie: a=VALUE; b=VALUE, Set-Cookie: sid=VALUE; Path=/);
//  - tokens of a well-known shape: JWTs, Google OAuth access tokens
//    (ya29.), GitHub, GitLab, Slack, Stripe, npm and Vault tokens, AWS and
//    Google API keys;
//  - as a last line, a long run of mixed letters and digits as random as
//    a key (a session id, an opaque token).
std::string mask_credential_positions(std::string_view text);

}  // namespace preflight
