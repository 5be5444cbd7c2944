#include "preflight/redact.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

namespace preflight {

std::string percent_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string base64_encode(std::string_view data) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t n = (uint32_t(uint8_t(data[i])) << 16) | (uint32_t(uint8_t(data[i + 1])) << 8) | uint8_t(data[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kAlphabet[(n >> s) & 63];
  }
  if (i < data.size()) {
    uint32_t n = uint32_t(uint8_t(data[i])) << 16;
    if (i + 1 < data.size()) n |= uint32_t(uint8_t(data[i + 1])) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

Redactor::Redactor(const std::vector<std::string>& secrets) {
  for (const auto& s : secrets) {
    if (s.size() < kMinLength) continue;
    needles_.push_back(s);
    needles_.push_back(percent_encode(s));
    std::string b64 = base64_encode(s);
    // Without padding, so that it also matches inside longer base64 text.
    while (!b64.empty() && b64.back() == '=') b64.pop_back();
    if (b64.size() >= kMinLength) needles_.push_back(b64);
  }
  std::sort(needles_.begin(), needles_.end(), [](const auto& a, const auto& b) { return a.size() > b.size(); });
  needles_.erase(std::unique(needles_.begin(), needles_.end()), needles_.end());
}

std::string Redactor::scrub(std::string_view text) const {
  std::string out(text);
  for (const auto& needle : needles_) {
    for (size_t pos = out.find(needle); pos != std::string::npos; pos = out.find(needle, pos + 3)) {
      out.replace(pos, needle.size(), "***");
    }
  }
  return out;
}

namespace {
Redactor& process_redactor_instance() {
  static Redactor redactor;
  return redactor;
}
}  // namespace

void set_process_secrets(const std::vector<std::string>& secrets) { process_redactor_instance() = Redactor(secrets); }

const Redactor& process_redactor() { return process_redactor_instance(); }

}  // namespace preflight
