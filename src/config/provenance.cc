// Where each part of a check's target came from, for lint and hints: the
// origin spans that interpolation recorded for the string holding the part,
// read where the part stands in it as a whole component.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "config/plan.h"
#include "base/redact.h"

namespace preflight {
namespace {

constexpr std::string_view kDelimiters = ":/@?&=,;[]# '\"";

bool is_delimiter(char c) { return kDelimiters.find(c) != std::string_view::npos; }

// Where `part` stands in `text` as a whole component, between the
// delimiters of URLs and conninfo strings (or itself starting or ending
// with one): "2" in "redis://h:6378/2", not the "0" inside "10.0.0.3"; never
// the scheme. Where it stands more than once ("redis://redis:6379", a user
// named as its database), the first place a variable wrote it, else the
// first: without the reader's offsets, the variable is the likelier author.
std::optional<size_t> component_at(std::string_view text, std::string_view part, const std::vector<OriginSpan>& spans) {
  if (part.empty()) return std::nullopt;
  std::optional<size_t> first;
  for (size_t at = text.find(part); at != std::string_view::npos; at = text.find(part, at + 1)) {
    const size_t end = at + part.size();
    const bool starts = at == 0 || is_delimiter(text[at - 1]) || is_delimiter(part.front());
    const bool ends = end == text.size() || is_delimiter(text[end]) || is_delimiter(part.back());
    if (!starts || !ends || text.substr(end).starts_with("://")) continue;
    for (const OriginSpan& s : spans) {
      if (s.kind != OriginSpan::Kind::literal && s.begin < end && s.end > at) return at;
    }
    if (!first) first = at;
  }
  return first;
}

struct Located {
  std::string field;  // "url", "ca_file", "headers/Authorization"
  const std::vector<OriginSpan>* spans = nullptr;
  size_t begin = 0, end = 0;
};

// A field that overrides a part (ca_file, user, password...) holds it whole;
// the url holds it as a component, written as is or percent-encoded.
std::optional<Located> locate(const PlannedCheck& check, std::string_view value) {
  if (value.empty()) return std::nullopt;
  // The check's name and type hold no part of its target, whatever text
  // they share with it (a host "pay" of the check named "pay").
  auto holds_no_part = [](const std::string& path) { return path == "/name" || path == "/type"; };
  for (const auto& [path, resolved] : check.origins) {
    if (path != "/url" && !holds_no_part(path) && resolved.text == value) return Located{path.substr(1), &resolved.spans, 0, value.size()};
  }
  const std::string encoded = percent_encode(value);
  auto in = [&](const std::string& path, const Resolved& resolved) -> std::optional<Located> {
    for (std::string_view form : {value, std::string_view(encoded)}) {
      if (auto at = component_at(resolved.text, form, resolved.spans)) return Located{path.substr(1), &resolved.spans, *at, *at + form.size()};
    }
    return std::nullopt;
  };
  if (auto url = check.origins.find("/url"); url != check.origins.end()) {
    if (auto found = in(url->first, url->second)) return found;
  }
  for (const auto& [path, resolved] : check.origins) {
    if (path == "/url" || holds_no_part(path)) continue;
    if (auto found = in(path, resolved)) return found;
  }
  return std::nullopt;
}

}  // namespace

PartOrigin origin_of(const PlannedCheck& check, std::string_view value) {
  PartOrigin origin;
  auto where = locate(check, value);
  if (!where) return origin;
  origin.field = where->field;
  origin.kind = PartOrigin::Kind::check_text;
  for (const OriginSpan& s : *where->spans) {
    if (s.end <= where->begin || s.begin >= where->end) continue;
    origin.secret = origin.secret || s.secret;
    if (s.kind == OriginSpan::Kind::literal) {
      origin.also_check_text = true;
      continue;
    }
    origin.kind = PartOrigin::Kind::variables;
    std::pair<std::string, std::string> named{s.variable, s.kind == OriginSpan::Kind::variable ? s.source : ""};
    if (std::find(origin.variables.begin(), origin.variables.end(), named) == origin.variables.end()) {
      origin.variables.push_back(std::move(named));
    }
  }
  if (origin.kind == PartOrigin::Kind::check_text) origin.also_check_text = false;
  return origin;
}

std::string PartOrigin::describe() const {
  switch (kind) {
    case Kind::client_default: return "default";
    case Kind::check_text: return fmt::format("the check's {}", field);
    case Kind::variables: break;
  }
  std::vector<std::string> names;
  for (const auto& [name, source] : variables) {
    names.push_back(source.empty() ? fmt::format("the default of ${{{}}} in the check's {}", name, field)
                                   : fmt::format("{} ({})", name, source));
  }
  if (also_check_text) names.push_back(fmt::format("the check's {}", field));
  return fmt::format("{}", fmt::join(names, " and "));
}

const VariableUse* variable_holding(const PlannedCheck& check, std::string_view text) {
  const PartOrigin origin = origin_of(check, text);
  for (const auto& [name, source] : origin.variables) {
    if (source.empty()) continue;
    for (const auto& u : check.uses) {
      if (u.name == name) return &u;
    }
  }
  return nullptr;
}

std::vector<std::pair<std::string, std::string>> part_sources(const PlannedCheck& check) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!check.target) return out;
  for (auto& [part, value] : check.target->parts()) {
    auto outside = std::find_if(check.target->outside_origins.begin(), check.target->outside_origins.end(),
                                [&p = part](const auto& o) { return o.first == p; });
    std::string origin = outside != check.target->outside_origins.end() ? outside->second : origin_of(check, value).describe();
    out.emplace_back(std::move(part), std::move(origin));
  }
  return out;
}

}  // namespace preflight
