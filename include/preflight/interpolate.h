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
  // Secret variables whose values hold a reference to an unset variable:
  // the reference is part of the secret, so it is never named.
  std::vector<std::string> unset_inside_secret;
  std::optional<std::string> error; // syntax error or cycle; text is then partial
};

// Expands references in `tmpl`. Values of expandable variables (from dotenv)
// are expanded in turn, up to a nesting depth of 16; a cycle is an error.
// `${VAR:-default}` uses the default when VAR is unset or empty. A `$` not
// followed by `{` or `$` is literal.
Interpolated interpolate(std::string_view tmpl, const VariableSet& vars);

}  // namespace preflight
