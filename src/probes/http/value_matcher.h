// What an HTTP expectation accepts of a value (a JSON body's pointed-to
// value, a header's value, the body): the value itself, or an operator
// object of one key:
//   {"in": [v1, v2...]}     equal to one of them (Elasticsearch's status in
//                           {"yellow", "green"});
//   {">=": n}, {">": n}, {"<=": n}, {"<": n}   a number compared;
//   {"!=": v}               anything but that value;
//   {"matches": "pattern"}  a string in which the POSIX extended regular
//                           expression is found (glibc's matcher does not
//                           backtrack: a server's value cannot make it hang).
// A one-key object whose key is made of '<', '>', '=' and '!' is an
// operator, known or refused (a typo such as "=>" is not a value to equal);
// any other object is a value to be equal to.
#pragma once

#include <regex.h>

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/result.h"

namespace preflight {

class ValueMatcher {
 public:
  // Reads `spec`; the error says what is wrong with it ("matches: ...").
  static Result<ValueMatcher, std::string> read(const nlohmann::json& spec);
  // True when `spec` is an operator object (its shape is then checked by read).
  static bool is_operator(const nlohmann::json& spec);

  // A string longer than `max_text` never matches a pattern: it bounds the
  // time one match takes.
  static constexpr size_t kMaxValueText = 4096;
  bool matches(const nlohmann::json& value, size_t max_text = kMaxValueText) const;
  // "\"green\"", "one of [\"yellow\",\"green\"]", ">= 3", "matching /^ok/".
  std::string describe() const;

 private:
  std::string op_;  // "" (equal), "in", ">=", ">", "<=", "<", "!=", "matches"
  nlohmann::json operand_;
  std::shared_ptr<const regex_t> pattern_;
};

}  // namespace preflight
