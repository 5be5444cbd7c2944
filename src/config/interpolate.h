// ${VAR}, ${VAR:-default} and $$ in config strings.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/variables.h"

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

// Where a byte range of an interpolated string came from: the one record
// of "which variable set this byte, and is it secret", made while the
// string is built, so that nothing later searches values for text.
struct OriginSpan {
  enum class Kind {
    literal,   // written in the template itself (the config file, the built-in profile)
    variable,  // a variable's value: `variable`, from `source`
    fallback,  // the default of ${VARIABLE:-default}, VARIABLE being unset or empty
  };
  size_t begin = 0, end = 0;  // [begin, end) of Interpolated::text
  Kind kind = Kind::literal;
  std::string variable;  // empty for literal
  std::string source;    // the variable's source; empty unless kind is variable
  // A secret variable's bytes, or bytes inside one (a reference or default
  // in a secret's value): secret wherever a parser later puts them.
  bool secret = false;
};

// A resolved string and where each of its bytes came from.
struct Resolved {
  std::string text;
  std::vector<OriginSpan> spans;  // cover `text`, as Interpolated::spans
};

struct Interpolated {
  std::string text;
  // Cover `text` in order without gaps; neighbours of the same origin are
  // one span. A variable whose value refers to others (dotenv) owns its own
  // literal bytes, and each reference its own.
  std::vector<OriginSpan> spans;
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
