// Where each part of a check's target came from, for lint: the variable and
// its source, the check's own text (its url or another field), or the
// reader's default.
#include <fmt/format.h>

#include "preflight/plan.h"
#include "preflight/redact.h"

namespace preflight {
namespace {

// True when `part` occurs in `text` as a whole component, between the
// delimiters of URLs and conninfo strings: "2" in "redis://h:6378/2", not
// the "0" inside "10.0.0.3".
bool holds_component(std::string_view text, std::string_view part) {
  constexpr std::string_view kDelimiters = ":/@?&=,;[]# '\"";
  for (size_t at = text.find(part); at != std::string_view::npos; at = text.find(part, at + 1)) {
    size_t end = at + part.size();
    bool starts = at == 0 || kDelimiters.find(text[at - 1]) != std::string_view::npos;
    bool ends = end == text.size() || kDelimiters.find(text[end]) != std::string_view::npos;
    if (starts && ends) return true;
  }
  return false;
}

std::string where(const PlannedCheck& check, const std::string& value) {
  for (const auto& u : check.uses) {
    if (u.value == value) return fmt::format("{} ({})", u.name, u.source);
  }
  std::string encoded = percent_encode(value);
  for (const auto& u : check.uses) {
    if (holds_component(u.value, value) || holds_component(u.value, encoded)) {
      return fmt::format("{} ({})", u.name, u.source);
    }
  }
  // A field of the check that overrides the URL's part (ca_file, user...).
  for (const auto& [key, field] : check.fields.items()) {
    if (key != "url" && field.is_string() && field.get_ref<const std::string&>() == value) return "the check's " + key;
  }
  auto url = check.fields.find("url");
  bool written = url != check.fields.end() && url->is_string() &&
                 url->get_ref<const std::string&>().find(value) != std::string::npos;
  return written ? "the check's url" : "default";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> part_sources(const PlannedCheck& check) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!check.target) return out;
  for (auto& [part, value] : check.target->parts()) out.emplace_back(std::move(part), where(check, value));
  return out;
}

}  // namespace preflight
