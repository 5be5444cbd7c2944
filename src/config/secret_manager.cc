#include "config/secret_manager.h"

#include <array>
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace preflight {
namespace {

using json = nlohmann::json;

Unexpected<std::string> malformed(std::string message) { return Unexpected<std::string>{std::move(message)}; }

Result<AccessedSecret, std::string> parse_one(const json& j, const std::string& path) {
  if (!j.is_object()) return malformed(fmt::format("{}: expected an object", path));
  auto name = j.find("name");
  if (name == j.end() || !name->is_string()) {
    return malformed(fmt::format("{}/name: expected the version name as a string", path));
  }
  AccessedSecret secret;
  secret.version_name = name->get<std::string>();
  // projects/P/secrets/ID/versions/V
  std::string_view v = secret.version_name;
  auto at = v.find("/secrets/");
  if (at == std::string_view::npos) {
    return malformed(fmt::format("{}/name: \"{}\" is not of the form projects/P/secrets/ID/versions/V",
                             path, secret.version_name));
  }
  std::string_view id = v.substr(at + 9);
  id = id.substr(0, id.find('/'));
  if (id.empty()) return malformed(fmt::format("{}/name: the secret id is empty", path));
  secret.secret_id = std::string(id);

  auto payload = j.find("payload");
  if (payload == j.end() || !payload->is_object()) {
    return malformed(fmt::format("{}/payload: expected an object with \"data\"", path));
  }
  auto data = payload->find("data");
  if (data == payload->end() || !data->is_string()) {
    return malformed(fmt::format("{}/payload/data: expected base64 text", path));
  }
  auto decoded = base64_decode(data->get<std::string>());
  if (!decoded) return malformed(fmt::format("{}/payload/data: not valid base64", path));
  secret.value = std::move(*decoded);

  if (auto crc = payload->find("dataCrc32c"); crc != payload->end()) {
    uint64_t expected = 0;
    bool parsed = false;
    if (crc->is_number_unsigned()) {
      expected = crc->get<uint64_t>();
      parsed = true;
    } else if (crc->is_string()) {
      const auto& s = crc->get_ref<const std::string&>();
      auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), expected);
      parsed = ec == std::errc() && end == s.data() + s.size();
    }
    if (!parsed) return malformed(fmt::format("{}/payload/dataCrc32c: expected a decimal number", path));
    if (expected != crc32c(secret.value)) {
      secret.checksum_error = fmt::format(
          "the payload of {} does not match its dataCrc32c: the file is corrupt or was edited",
          secret.version_name);
    }
  }
  return secret;
}

}  // namespace

Result<std::vector<AccessedSecret>, std::string> parse_secret_manager_json(std::string_view text) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return malformed("not valid JSON");
  std::vector<AccessedSecret> out;
  if (doc.is_array()) {
    for (size_t i = 0; i < doc.size(); ++i) {
      auto one = parse_one(doc[i], fmt::format("/{}", i));
      if (!one.ok()) return malformed(one.error());
      out.push_back(std::move(one).value());
    }
  } else {
    auto one = parse_one(doc, "");
    if (!one.ok()) return malformed(one.error());
    out.push_back(std::move(one).value());
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text) {
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;  // standard and URL-safe alphabets
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  size_t padding = 0;
  for (char c : text) {
    if (c == '=') {
      ++padding;
      continue;
    }
    if (c == '\n' || c == '\r') continue;
    if (padding > 0) return std::nullopt;  // data after padding
    int v = value_of(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if (padding > 2 || bits >= 6) return std::nullopt;
  return out;
}

uint32_t crc32c(std::string_view data) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char b : data) crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

}  // namespace preflight
