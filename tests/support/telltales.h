// What of a transformed canary must not survive a scrub, for the tests
// that read tests/corpus/*.jsonl (written by tests/tools/redact_transforms.py).
#pragma once

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace preflight::testing {

// Byte ranges [begin, end) of a text.
using Ranges = std::vector<std::pair<size_t, size_t>>;

// Every 5 bytes in a row of `text` of which at least 3 depend on the
// canary (lie in `dependent`), but for those that the decoy's text
// `control` holds as well: what says something of the canary. (Runs of 5
// dependent bytes alone would miss a secret whose every other character
// was escaped: "%23vX%26".) The canary's own runs of 5 bytes are added.
inline std::vector<std::string> telltales(const std::string& text, const std::string& control, const Ranges& dependent,
                                          const std::string& canary) {
  std::vector<bool> depends(text.size());
  for (auto [begin, end] : dependent) {
    for (size_t i = begin; i < end && i < text.size(); ++i) depends[i] = true;
  }
  std::vector<std::string> out;
  for (size_t at = 0; at + 5 <= text.size(); ++at) {
    if (std::count(depends.begin() + at, depends.begin() + at + 5, true) >= 3) out.push_back(text.substr(at, 5));
  }
  for (size_t at = 0; at + 5 <= canary.size(); ++at) out.push_back(canary.substr(at, 5));
  std::erase_if(out, [&](const std::string& run) { return control.find(run) != std::string::npos; });
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

inline std::string unhex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

}  // namespace preflight::testing
