// Where preflight runs, read once from the environment: it changes the
// startup budget, which targets make sense and how failures are explained.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "base/duration.h"

namespace preflight {

struct Platform {
  bool cloud_run = false;  // K_SERVICE is set, or --target cloudrun
  // How long the platform waits for the container to start listening.
  std::optional<Millis> startup_allowance;
  // The proxy variables libcurl reads (http_proxy, HTTPS_PROXY, NO_PROXY...).
  std::map<std::string, std::string> proxy_env;
};

// Cloud Run's default TCP startup probe gives a container 240 s
// (timeoutSeconds = periodSeconds = 240, failureThreshold 1).
inline constexpr Millis kCloudRunStartupAllowance{240'000};

// `target` is "" (detect from the environment) or "cloudrun".
Platform detect_platform(const std::map<std::string, std::string>& env, const std::string& target);

struct ProxySetting {
  std::string variable;  // "https_proxy"
  std::string url;       // may hold credentials: redact before printing
};

// The proxy libcurl would use for a URL, if any, following its rules:
// lower-case http_proxy only for http:// (the upper-case one is ignored, as
// CGI sets it from a request header), https_proxy or HTTPS_PROXY for
// https://, all_proxy as the fallback, and no_proxy / NO_PROXY exempting
// hosts and their subdomains ("*" exempts everything).
std::optional<ProxySetting> proxy_for(const Platform& platform, std::string_view scheme, std::string_view host);

}  // namespace preflight
