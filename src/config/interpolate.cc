#include "config/interpolate.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace preflight {
namespace {

constexpr int kMaxDepth = 16;
constexpr size_t kMaxExpandedBytes = 1 << 20;

bool valid_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
}

// Finds the '}' closing a reference that starts after "${", honouring nested
// references in defaults.
size_t find_closing_brace(std::string_view s, size_t from) {
  int depth = 1;
  for (size_t i = from; i < s.size(); ++i) {
    if (s[i] == '$' && i + 1 < s.size() && s[i + 1] == '{') {
      ++depth;
      ++i;
    } else if (s[i] == '}' && --depth == 0) {
      return i;
    }
  }
  return std::string_view::npos;
}

// Whose bytes the expander is writing: the template's own, or a variable's.
struct Owner {
  OriginSpan::Kind kind = OriginSpan::Kind::literal;
  std::string_view variable, source;
  bool secret = false;
};

class Expander {
 public:
  explicit Expander(const VariableSet& vars) : vars_(vars) {}

  // Appends `tmpl` expanded to `out`; its own bytes are `owner`'s.
  void expand(std::string_view tmpl, std::string& out, int depth, const Owner& owner) {
    for (size_t i = 0; i < tmpl.size() && !result_.error; ++i) {
      char c = tmpl[i];
      if (c != '$' || i + 1 >= tmpl.size()) {
        append(out, std::string_view(&tmpl[i], 1), owner);
        continue;
      }
      if (tmpl[i + 1] == '$') {
        append(out, "$", owner);
        ++i;
        continue;
      }
      if (tmpl[i + 1] != '{') {
        append(out, std::string_view(&tmpl[i], 1), owner);
        continue;
      }
      size_t close = find_closing_brace(tmpl, i + 2);
      if (close == std::string_view::npos) {
        result_.error = fmt::format("unterminated \"${{\" at offset {}", i);
        return;
      }
      expand_reference(tmpl.substr(i + 2, close - i - 2), out, depth, owner);
      if (out.size() > kMaxExpandedBytes) {
        result_.error = stack_.empty() ? std::string("the expanded value is over 1 MiB")
                                       : fmt::format("the expanded value is over 1 MiB (expanding {})", fmt::join(stack_, " -> "));
        return;
      }
      i = close;
    }
  }

  Interpolated take(std::string text) {
    result_.text = std::move(text);
    return std::move(result_);
  }

 private:
  void expand_reference(std::string_view body, std::string& out, int depth, const Owner& owner) {
    size_t sep = body.find(":-");
    std::string_view name = body.substr(0, sep);
    const std::string* secret = enclosing_secret();
    // Inside a variable's value, a reference may well be a password's '$'
    // that nobody escaped: text from there is not quoted.
    const std::string* holder = secret ? secret : stack_.empty() ? nullptr : &stack_.front();
    if (!valid_name(name)) {
      result_.error = holder ? fmt::format("the value of {} holds a \"${{\" that is not a valid reference (a '$' in a "
                                           "password is written $$ in an env file, or the value single-quoted)", *holder)
                             : fmt::format("\"${{{}}}\" is not a valid reference", body);
      return;
    }
    const Variable* var = vars_.find(name);
    // A variable that is set but could not be read (an oversized secret
    // file, say) is not "unset": its default must not hide the problem.
    if (var == nullptr || (sep != std::string_view::npos && var->value.empty() && !var->problem)) {
      if (sep != std::string_view::npos) {
        expand(body.substr(sep + 2), out, depth, Owner{OriginSpan::Kind::fallback, name, {}, owner.secret});
      } else if (secret || (holder && !looks_like_variable_name(name))) {
        auto& in = result_.unset_withheld;
        if (std::find(in.begin(), in.end(), *holder) == in.end()) in.push_back(*holder);
      } else if (std::find(result_.unset.begin(), result_.unset.end(), name) == result_.unset.end()) {
        result_.unset.emplace_back(name);
      }
      return;
    }
    const Owner its{OriginSpan::Kind::variable, name, var->source, var->secret || owner.secret};
    if (!var->expandable) {
      record_use(name, *var, var->value);
      append(out, var->value, its);
      return;
    }
    std::string key(name);
    if (std::find(stack_.begin(), stack_.end(), key) != stack_.end()) {
      stack_.push_back(key);
      result_.error = fmt::format("interpolation cycle: {}", fmt::join(stack_, " -> "));
      return;
    }
    if (depth >= kMaxDepth) {
      result_.error = fmt::format("references nested deeper than {} levels at {}", kMaxDepth, name);
      return;
    }
    stack_.push_back(key);
    const size_t start = out.size();
    expand(var->value, out, depth + 1, its);
    if (!result_.error) stack_.pop_back();
    // Validation looks at what the variable stands for, not its template.
    record_use(name, *var, out.substr(start));
  }

  void append(std::string& out, std::string_view bytes, const Owner& owner) {
    if (bytes.empty()) return;
    const size_t begin = out.size();
    out += bytes;
    auto& spans = result_.spans;
    if (!spans.empty()) {
      OriginSpan& last = spans.back();
      if (last.end == begin && last.kind == owner.kind && last.variable == owner.variable && last.source == owner.source &&
          last.secret == owner.secret) {
        last.end = out.size();
        return;
      }
    }
    spans.push_back({begin, out.size(), owner.kind, std::string(owner.variable), std::string(owner.source), owner.secret});
  }

  // The outermost secret variable being expanded, if any: text inside its
  // value is the secret's, and messages must not quote it.
  const std::string* enclosing_secret() const {
    for (const auto& name : stack_) {
      if (const Variable* v = vars_.find(name); v && v->secret) return &name;
    }
    return nullptr;
  }

  void record_use(std::string_view name, const Variable& var, const std::string& value) {
    for (const auto& u : result_.uses) {
      if (u.name == name) return;
    }
    VariableUse use{std::string(name), value, var.source, var.secret, var.problem, {}};
    for (const auto& c : vars_.conflicts()) {
      if (c.name == name && c.winner_source == var.source) use.shadowed.push_back(c.loser_source);
    }
    result_.uses.push_back(std::move(use));
  }

  const VariableSet& vars_;
  Interpolated result_;
  std::vector<std::string> stack_;
};

}  // namespace

bool looks_like_variable_name(std::string_view name) {
  return !name.empty() &&
         std::all_of(name.begin(), name.end(), [](unsigned char c) { return std::isupper(c) || std::isdigit(c) || c == '_'; });
}

Interpolated interpolate(std::string_view tmpl, const VariableSet& vars) {
  Expander expander(vars);
  std::string out;
  expander.expand(tmpl, out, 0, Owner{});
  return expander.take(std::move(out));
}

}  // namespace preflight
