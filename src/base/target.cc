#include "base/target.h"

#include <algorithm>

#include <fmt/format.h>

namespace preflight {

std::string Endpoint::display() const {
  if (is_socket()) return "unix:" + socket_path;
  return fmt::format("{}:{}", host_in_url(host), port);
}

std::string join_endpoints(const std::vector<Endpoint>& endpoints) {
  std::string out;
  for (const auto& e : endpoints) {
    if (!out.empty()) out += ',';
    out += e.display();
  }
  return out;
}

std::string Target::describe() const {
  std::string out = fmt::format("{} ·", form);
  bool socket = !endpoints.empty() && endpoints.front().is_socket();
  if (!master_name.empty()) {
    out += fmt::format(" sentinels {} asked for master \"{}\"", join_endpoints(endpoints), master_name);
    if (sentinel_password) out += " (sentinel password ***)";
  } else {
    out += fmt::format(" {} {}", socket ? "Unix socket" : "TCP", join_endpoints(endpoints));
  }
  if (tls.use != TlsUse::client_default || !tls.protocol_mode.empty()) {
    std::string_view mode = tls.protocol_mode;
    if (mode.empty()) mode = tls.encrypts() ? "on" : "off";
    out += fmt::format(" · TLS {}", mode);
    if (tls.encrypts() && !tls.verify) out += " (certificate not verified)";
    if (!tls.ca_file.empty()) out += fmt::format(" (CA {})", tls.ca_file);
  }
  if (!user.empty()) {
    bool secret = std::find(secrets.begin(), secrets.end(), user) != secrets.end();
    out += fmt::format(" · user {}", secret ? "***" : user);
  }
  if (password) out += " · password ***";
  if (!database.empty()) out += fmt::format(" · database {}", database);
  if (!ignored.empty()) out += fmt::format(" · ignored: {}", fmt::join(ignored, ", "));
  return out;
}

std::vector<std::pair<std::string, std::string>> Target::parts() const {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](std::string part, const std::string& value) {
    if (!value.empty()) out.emplace_back(std::move(part), value);
  };
  for (size_t i = 0; i < endpoints.size(); ++i) {
    const Endpoint& e = endpoints[i];
    std::string n = endpoints.size() > 1 ? fmt::format(" {}", i + 1) : "";
    if (e.is_socket() && e.host.empty()) {
      add("socket" + n, e.socket_path);
      continue;
    }
    add((e.is_socket() ? "socket directory" : "host") + n, e.host);
    add("port" + n, std::to_string(e.port));
  }
  add("master", master_name);
  add("user", user);
  if (password) add("password", *password);
  if (sentinel_password) add("sentinel password", *sentinel_password);
  add("database", database);
  add("CA", tls.ca_file);
  for (const auto& added : tls.added_ca) add("added CA", added);
  return out;
}

}  // namespace preflight
