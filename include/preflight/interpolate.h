// ${VAR}, ${VAR:-default} and $$ in config strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "preflight/variables.h"

namespace preflight {

// A variable that contributed to an interpolated string.
struct VariableUse {
  std::string name;
  std::string value;  // as expanded, for a dotenv value that refers to others
  std::string source;
  bool secret = false;
  std::optional<Failure> problem;  // copied from the Variable
  // Sources of other definitions with a different value that this one
  // overrode (a rotated secret file shadowed by an old env var).
  std::vector<std::string> shadowed;
};

struct Interpolated {
  std::string text;
  std::vector<VariableUse> uses;    // in order of first use, each name once
  std::vector<std::string> unset;   // referenced without a default and not set
  // Variables whose values hold a reference to an unset variable that must
  // not be named: any reference inside a secret's value, and one that does
  // not look like a variable's name inside another value (the unescaped
  // '$' of a password in DATABASE_URL); the reference may be the secret.
  std::vector<std::string> unset_withheld;
  std::optional<std::string> error; // syntax error or cycle; text is then partial
};

// Expands references in `tmpl`. Values of expandable variables (from dotenv)
// are expanded in turn, up to a nesting depth of 16; a cycle is an error.
// `${VAR:-default}` uses the default when VAR is unset or empty. A `$` not
// followed by `{` or `$` is literal.
Interpolated interpolate(std::string_view tmpl, const VariableSet& vars);

// ENV_STYLE: capitals, digits and '_'. A reference named otherwise where a
// secret stands ("${Cx9-canary}" in a password) is not named in messages.
bool looks_like_variable_name(std::string_view name);

}  // namespace preflight
