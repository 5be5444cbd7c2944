// Google Secret Manager access responses, as `gcloud secrets versions access
// --format=json` and the AccessSecretVersion API return them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace preflight {

struct AccessedSecret {
  std::string secret_id;     // "redis-password"
  std::string version_name;  // "projects/p/secrets/redis-password/versions/7"
  std::string value;         // the decoded payload
  // Set when dataCrc32c was present and does not match the payload.
  std::optional<std::string> checksum_error;
};

// Parses one response object or an array of them. The error names the JSON
// path of what is wrong; it never contains payload bytes.
Result<std::vector<AccessedSecret>, std::string> parse_secret_manager_json(std::string_view text);

std::optional<std::string> base64_decode(std::string_view text);
uint32_t crc32c(std::string_view data);

}  // namespace preflight
