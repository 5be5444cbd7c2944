#include "config/placeholder.h"

#include <algorithm>
#include <cctype>
#include <vector>

#include <fmt/format.h>

#include "base/text.h"

namespace preflight {
namespace {

// Alphanumeric words, for matching whole tokens: "sk-xxxx-TODO" → sk, xxxx, todo.
std::vector<std::string> words(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      cur += c;
    } else if (!cur.empty()) {
      out.push_back(std::move(cur));
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

bool all_x(const std::string& w) {
  return w.size() >= 3 && std::all_of(w.begin(), w.end(), [](char c) { return c == 'x'; });
}

// "<REDIS_HOST>", "<your password>": an angle-bracketed name, not random
// punctuation inside a password.
bool has_angle_placeholder(std::string_view s) {
  for (size_t open = s.find('<'); open != std::string_view::npos; open = s.find('<', open + 1)) {
    size_t close = s.find('>', open);
    if (close == std::string_view::npos) return false;
    std::string_view inner = s.substr(open + 1, close - open - 1);
    bool name_like = inner.size() >= 2 && std::isalpha(static_cast<unsigned char>(inner[0])) &&
                     std::all_of(inner.begin(), inner.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' ||
                              c == ' ' || c == '.';
                     });
    if (name_like) return true;
  }
  return false;
}

}  // namespace

std::optional<std::string> placeholder_reason(std::string_view value, bool opaque) {
  const std::string v = to_lower(value);
  if (v.empty()) return std::nullopt;
  // A generated password may hold "${" or "<ab>" anywhere; only a value that
  // is nothing but the template is one.
  auto whole = [&](std::string_view open, std::string_view close) {
    return v.starts_with(open) && v.ends_with(close) && v.size() > open.size() + close.size();
  };
  if (opaque) {
    if (whole("${", "}")) return "it is a \"${...}\" reference";
    if (whole("{{", "}}")) return "it is a \"{{...}}\" template expression";
    if (whole("<", ">") && has_angle_placeholder(v)) return "it is an \"<...>\" template slot";
  } else {
    if (v.find("${") != std::string::npos) return "it still contains a \"${...}\" reference";
    if (auto open = v.find("{{"); open != std::string::npos && v.find("}}", open) != std::string::npos) {
      return "it contains a \"{{...}}\" template expression";
    }
    if (has_angle_placeholder(v)) return "it contains an \"<...>\" template slot";
  }

  const auto ws = words(v);
  for (size_t i = 0; i < ws.size(); ++i) {
    const std::string& w = ws[i];
    // "your-redis-instance-ip", "your_password", "yourdomain.com"
    if (w == "your" && i + 1 < ws.size()) return "it reads \"your-...\"";
    if (w.starts_with("your") && w.size() > 4) {
      for (std::string_view noun : {"host", "domain", "password", "pass", "key", "token", "secret",
                                    "project", "instance", "server", "user", "name", "ip", "bucket",
                                    "app", "db", "redis", "api", "service", "region", "id"}) {
        if (w.substr(4).starts_with(noun)) return fmt::format("it reads \"{}\"", w);
      }
    }
    if (w == "changeme" || w == "fixme" || w == "replaceme") return fmt::format("it reads \"{}\"", w);
    if (w == "change" && i + 1 < ws.size() && ws[i + 1] == "me") return "it reads \"change-me\"";
    if (w == "replace") return "it reads \"replace...\"";
    if (all_x(w)) return "it is filled with \"xxx\"";
  }
  // "TODO" and "TBD" are also ordinary words in host names ("todo-api"), so
  // only a value that is nothing else is flagged.
  if (ws.size() == 1 && (ws[0] == "todo" || ws[0] == "tbd")) return fmt::format("it reads \"{}\"", ws[0]);
  return std::nullopt;
}

std::optional<std::string> reserved_host_reason(std::string_view host) {
  std::string h = to_lower(host);
  while (!h.empty() && h.back() == '.') h.pop_back();
  for (std::string_view doc : {"example.com", "example.net", "example.org"}) {
    if (h == doc || h.ends_with(fmt::format(".{}", doc))) {
      return fmt::format("{} is a documentation domain (RFC 2606), not a real server", h);
    }
  }
  for (std::string_view tld : {"example", "test", "invalid"}) {
    if (h == tld || h.ends_with(fmt::format(".{}", tld))) {
      return fmt::format("\"{}\" is under the reserved .{} domain (RFC 2606): it cannot resolve", h, tld);
    }
  }
  return std::nullopt;
}

std::optional<std::string> template_like_host_reason(std::string_view host) {
  if (auto strict = placeholder_reason(host)) return strict;
  if (host.find('_') != std::string_view::npos) {
    return fmt::format("\"{}\" has an underscore, which no host name has: it reads like a variable's name", host);
  }
  const auto ws = words(to_lower(host));
  for (size_t i = 0; i < ws.size(); ++i) {
    const std::string& w = ws[i];
    if (i == 0 && (w == "my" || w == "the")) return fmt::format("\"{}\" begins with \"{}\"", host, w);
    for (std::string_view slot : {"hostname", "host", "ip", "address", "instance", "placeholder", "sample", "dummy"}) {
      if (w == slot) return fmt::format("\"{}\" names a kind of value (\"{}\") rather than a machine", host, w);
    }
  }
  return std::nullopt;
}

}  // namespace preflight
