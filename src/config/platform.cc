#include "config/platform.h"

#include "base/text.h"

namespace preflight {
namespace {

// no_proxy entries are host names or domain suffixes, optionally with a
// leading dot; a bare "*" matches everything.
bool exempt(std::string_view no_proxy, const std::string& host) {
  size_t pos = 0;
  while (pos <= no_proxy.size()) {
    size_t comma = no_proxy.find(',', pos);
    if (comma == std::string_view::npos) comma = no_proxy.size();
    std::string entry = to_lower(trim(no_proxy.substr(pos, comma - pos)));
    pos = comma + 1;
    if (entry == "*") return true;
    if (!entry.empty() && entry.front() == '.') entry.erase(0, 1);
    if (entry.empty()) continue;
    if (host == entry || (host.size() > entry.size() && host.ends_with("." + entry))) return true;
  }
  return false;
}

}  // namespace

Platform detect_platform(const std::map<std::string, std::string>& env, const std::string& target) {
  Platform p;
  p.cloud_run = target == "cloudrun" || env.contains("K_SERVICE");
  if (p.cloud_run) p.startup_allowance = kCloudRunStartupAllowance;
  for (const char* name : {"http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
                           "no_proxy", "NO_PROXY"}) {
    if (auto it = env.find(name); it != env.end() && !it->second.empty()) p.proxy_env.emplace(name, it->second);
  }
  return p;
}

std::optional<ProxySetting> proxy_for(const Platform& platform, std::string_view scheme, std::string_view host) {
  auto get = [&](const char* name) -> std::optional<ProxySetting> {
    auto it = platform.proxy_env.find(name);
    if (it == platform.proxy_env.end()) return std::nullopt;
    return ProxySetting{it->first, it->second};
  };
  std::optional<ProxySetting> proxy;
  if (scheme == "http") proxy = get("http_proxy");
  if (scheme == "https") proxy = get("https_proxy") ? get("https_proxy") : get("HTTPS_PROXY");
  if (!proxy) proxy = get("all_proxy") ? get("all_proxy") : get("ALL_PROXY");
  if (!proxy) return std::nullopt;
  auto no_proxy = get("no_proxy") ? get("no_proxy") : get("NO_PROXY");
  if (no_proxy && exempt(no_proxy->url, to_lower(host))) return std::nullopt;
  return proxy;
}

}  // namespace preflight
