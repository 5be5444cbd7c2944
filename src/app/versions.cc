#include "app/versions.h"

#include <curl/curl.h>
#include <hiredis/hiredis.h>
#include <libpq-fe.h>
#include <mysql.h>
#include <openssl/crypto.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <spdlog/version.h>

#include "config/yaml_reader.h"
#include "preflight_build.h"

namespace preflight {
namespace {

// PQlibVersion: major * 10000 + minor since PostgreSQL 10.
std::string postgres_version(int v) { return fmt::format("{}.{}", v / 10000, v % 10000); }

std::string curl_line() {
  const curl_version_info_data* c = curl_version_info(CURLVERSION_NOW);
  std::string line = fmt::format("libcurl {}", c->version);
  if (c->ssl_version) line += fmt::format(" ({}", c->ssl_version);
  if (c->nghttp2_version) line += fmt::format(", nghttp2/{}", c->nghttp2_version);
  if (c->libz_version) line += fmt::format(", zlib/{}", c->libz_version);
  if (c->ssl_version) line += ")";
  return line;
}

}  // namespace

std::string version_text(bool libraries) {
  std::string text = fmt::format("preflight {} (git {}, {})\n", PREFLIGHT_VERSION, PREFLIGHT_REVISION, PREFLIGHT_FLAVOUR);
  if (!libraries) return text;
  // Asking a library its version opens it (src/lazy/): only when asked.
  text += curl_line() + "\n";
  text += fmt::format("libpq {}\n", postgres_version(PQlibVersion()));
  text += fmt::format("{}\n", OpenSSL_version(OPENSSL_VERSION));
  text += fmt::format("MariaDB Connector/C {}\n", mysql_get_client_info());
  text += fmt::format("hiredis {}.{}.{} (compiled against)\n", HIREDIS_MAJOR, HIREDIS_MINOR, HIREDIS_PATCH);
  text += fmt::format("libyaml {} (linked in)\n", yaml_library_version());
  text += fmt::format("fmt {}.{}.{}, spdlog {}.{}.{}, nlohmann_json {}.{}.{} (compiled in)\n", FMT_VERSION / 10000,
                      FMT_VERSION / 100 % 100, FMT_VERSION % 100, SPDLOG_VER_MAJOR, SPDLOG_VER_MINOR, SPDLOG_VER_PATCH,
                      NLOHMANN_JSON_VERSION_MAJOR, NLOHMANN_JSON_VERSION_MINOR, NLOHMANN_JSON_VERSION_PATCH);
  // A static build carries its libraries' fixes, or lacks them: the Debian
  // versions they came from are what a security advisory names.
  if (*PREFLIGHT_LINKED_SOURCES) text += fmt::format("linked in from Debian: {}\n", PREFLIGHT_LINKED_SOURCES);
  return text;
}

}  // namespace preflight
