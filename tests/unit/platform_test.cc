#include "config/platform.h"

#include <gtest/gtest.h>

namespace preflight {
namespace {

std::string proxy(const std::map<std::string, std::string>& env, std::string_view scheme, std::string_view host) {
  auto p = proxy_for(detect_platform(env, ""), scheme, host);
  return p ? p->variable + "=" + p->url : "";
}

TEST(Platform, CloudRunIsDetectedFromKServiceOrTheTargetOption) {
  EXPECT_FALSE(detect_platform({}, "").cloud_run);
  EXPECT_FALSE(detect_platform({}, "").startup_allowance);
  EXPECT_TRUE(detect_platform({{"K_SERVICE", "api"}}, "").cloud_run);
  auto forced = detect_platform({}, "cloudrun");
  EXPECT_TRUE(forced.cloud_run);
  EXPECT_EQ(forced.startup_allowance, Millis{240'000});
}

TEST(Platform, ProxyFollowsLibcurlsRulesPerScheme) {
  EXPECT_EQ(proxy({{"http_proxy", "http://p:3128"}}, "http", "api.example.com"), "http_proxy=http://p:3128");
  // libcurl ignores upper-case HTTP_PROXY: CGI sets it from a request header.
  EXPECT_EQ(proxy({{"HTTP_PROXY", "http://p:3128"}}, "http", "api.example.com"), "");
  EXPECT_EQ(proxy({{"HTTPS_PROXY", "http://p:3128"}}, "https", "api.example.com"), "HTTPS_PROXY=http://p:3128");
  EXPECT_EQ(proxy({{"https_proxy", "http://p:3128"}}, "http", "api.example.com"), "");
  EXPECT_EQ(proxy({{"ALL_PROXY", "socks5://p:1080"}}, "http", "api.example.com"), "ALL_PROXY=socks5://p:1080");
}

TEST(Platform, NoProxyExemptsHostsAndTheirSubdomains) {
  std::map<std::string, std::string> env = {{"https_proxy", "http://p:3128"}, {"NO_PROXY", "localhost, .internal,svc.example.com"}};
  EXPECT_EQ(proxy(env, "https", "localhost"), "");
  EXPECT_EQ(proxy(env, "https", "redis.internal"), "");
  EXPECT_EQ(proxy(env, "https", "a.svc.example.com"), "");
  EXPECT_EQ(proxy(env, "https", "SVC.example.com"), "");
  EXPECT_EQ(proxy(env, "https", "notsvc.example.com"), "https_proxy=http://p:3128") << "a suffix must match at a dot";
  EXPECT_EQ(proxy({{"https_proxy", "http://p:3128"}, {"no_proxy", "*"}}, "https", "anything.com"), "");
}

}  // namespace
}  // namespace preflight
