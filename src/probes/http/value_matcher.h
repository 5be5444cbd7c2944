// What an HTTP expectation accepts of a value (a JSON body's pointed-to
// value, a header's value): the value itself, or an operator object of one
// key whose name starts with '$':
//   {"$in": [v1, v2...]}    equal to one of them (Elasticsearch's status in
//                           {"yellow", "green"});
//   {"$gte": n}, {"$gt": n}, {"$lte": n}, {"$lt": n}   a number compared;
//   {"$regex": "pattern"}   a string in which the POSIX extended regular
//                           expression is found (glibc's matcher does not
//                           backtrack: a server's value cannot make it hang).
// An object with any other keys is a value to be equal to.
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
  // Reads `spec`; the error says what is wrong with it ("$regex: ...").
  static Result<ValueMatcher, std::string> read(const nlohmann::json& spec);
  // True when `spec` is an operator object (its shape is then checked by read).
  static bool is_operator(const nlohmann::json& spec);

  bool matches(const nlohmann::json& value) const;
  // "\"green\"", "one of [\"yellow\",\"green\"]", ">= 3", "matching /^ok/".
  std::string describe() const;

 private:
  std::string op_;  // "" (equal), "$in", "$gte", "$gt", "$lte", "$lt", "$regex"
  nlohmann::json operand_;
  std::shared_ptr<const regex_t> pattern_;
};

}  // namespace preflight
