#include "probes/http/value_matcher.h"

#include <regex.h>

#include <algorithm>
#include <optional>

#include <fmt/format.h>

namespace preflight {
namespace {

using json = nlohmann::json;

// What could make glibc slow or hungry: its regcomp copies the expression
// under a {m,n} interval once per repetition, nested intervals multiplying;
// its regexec backtracks only for a back-reference (\1..\9, which it takes
// in an extended expression too). Such a pattern is refused, and so is a
// long one.
std::optional<std::string> too_costly(const std::string& pattern) {
  constexpr size_t kMaxPattern = 512;
  constexpr int kMaxIntervals = 2, kMaxBound = 32;
  if (pattern.size() > kMaxPattern) return fmt::format("is longer than {} bytes", kMaxPattern);
  int intervals = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      if (i + 1 < pattern.size() && pattern[i + 1] >= '1' && pattern[i + 1] <= '9') {
        return fmt::format("holds a back-reference (\\{}), which is not allowed: it can make a match take very long",
                           pattern[i + 1]);
      }
      ++i;
      continue;
    }
    if (pattern[i] != '{') continue;
    if (++intervals > kMaxIntervals) return fmt::format("has more than {} {{m,n}} intervals", kMaxIntervals);
    int bound = 0;
    for (size_t j = i + 1; j < pattern.size() && pattern[j] != '}'; ++j) {
      if (pattern[j] >= '0' && pattern[j] <= '9') {
        bound = std::min(bound * 10 + (pattern[j] - '0'), 1000000);
        if (bound > kMaxBound) return fmt::format("repeats more than {} times in an interval", kMaxBound);
      } else {
        bound = 0;
      }
    }
  }
  return std::nullopt;
}

bool is_comparison(std::string_view op) { return op == ">=" || op == ">" || op == "<=" || op == "<"; }

bool is_sign(std::string_view key) {
  return !key.empty() && key.find_first_not_of("<>=!") == std::string_view::npos;
}

constexpr std::string_view kOperators = "in, >=, >, <=, <, !=, matches";

}  // namespace

bool ValueMatcher::is_operator(const json& spec) {
  if (!spec.is_object() || spec.size() != 1) return false;
  const std::string& key = spec.begin().key();
  return key == "in" || key == "matches" || is_sign(key);
}

Result<ValueMatcher, std::string> ValueMatcher::read(const json& spec) {
  ValueMatcher m;
  if (!is_operator(spec)) {
    m.operand_ = spec;
    return m;
  }
  m.op_ = spec.begin().key();
  m.operand_ = spec.begin().value();
  if (m.op_ == "in") {
    if (!m.operand_.is_array() || m.operand_.empty()) return Unexpected<std::string>{"in: expected a non-empty array of values"};
  } else if (is_comparison(m.op_)) {
    if (!m.operand_.is_number()) return Unexpected<std::string>{fmt::format("{}: expected a number", m.op_)};
  } else if (m.op_ == "!=") {
    // Any value: anything else passes.
  } else if (m.op_ == "matches") {
    if (!m.operand_.is_string()) return Unexpected<std::string>{"matches: expected a string holding a pattern"};
    const std::string& pattern = m.operand_.get_ref<const std::string&>();
    if (auto why = too_costly(pattern)) return Unexpected<std::string>{fmt::format("matches: {} {}", m.operand_.dump(), *why)};
    auto compiled = std::make_unique<regex_t>();
    if (int rc = regcomp(compiled.get(), pattern.c_str(), REG_EXTENDED | REG_NOSUB); rc != 0) {
      char why[256] = {};
      regerror(rc, compiled.get(), why, sizeof why);
      return Unexpected<std::string>{
          fmt::format("matches: {} is not a valid POSIX extended regular expression: {}", m.operand_.dump(), why)};
    }
    m.pattern_ = std::shared_ptr<const regex_t>(compiled.release(), [](const regex_t* re) {
      regfree(const_cast<regex_t*>(re));
      delete re;
    });
  } else {
    return Unexpected<std::string>{fmt::format("{}: unknown operator (allowed: {})", m.op_, kOperators)};
  }
  return m;
}

bool ValueMatcher::matches(const json& value, size_t max_text) const {
  if (op_.empty()) return value == operand_;
  if (op_ == "!=") return value != operand_;
  if (op_ == "in") return std::find(operand_.begin(), operand_.end(), value) != operand_.end();
  if (op_ == "matches") {
    if (!value.is_string()) return false;
    const auto& text = value.get_ref<const std::string&>();
    return text.size() <= max_text && text.find('\0') == std::string::npos &&
           regexec(pattern_.get(), text.c_str(), 0, nullptr, 0) == 0;
  }
  if (!value.is_number()) return false;
  const double v = value.get<double>(), bound = operand_.get<double>();
  if (op_ == ">=") return v >= bound;
  if (op_ == ">") return v > bound;
  if (op_ == "<=") return v <= bound;
  return v < bound;
}

std::string ValueMatcher::describe() const {
  if (op_.empty()) return operand_.dump();
  if (op_ == "in") return fmt::format("one of {}", operand_.dump());
  if (op_ == "matches") return fmt::format("matching /{}/", operand_.get<std::string>());
  if (op_ == "!=") return fmt::format("anything but {}", operand_.dump());
  return fmt::format("{} {}", op_, operand_.dump());
}

}  // namespace preflight
