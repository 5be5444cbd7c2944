#include "base/url.h"

#include <gtest/gtest.h>

namespace preflight {
namespace {

TEST(ParseUrl, SplitsEveryPart) {
  auto u = parse_url("rediss://app:p%40ss@cache.internal:6380/2?x=1#frag");
  ASSERT_TRUE(u.ok()) << u.error();
  EXPECT_EQ(u->scheme, "rediss");
  EXPECT_EQ(u->username, "app");
  EXPECT_EQ(u->password, "p@ss");
  EXPECT_EQ(u->host, "cache.internal");
  EXPECT_EQ(u->port, 6380);
  EXPECT_EQ(u->path, "/2");
  EXPECT_EQ(u->query, "x=1");
}

TEST(ParseUrl, HandlesIpv6AndMissingParts) {
  auto u = parse_url("REDIS://[::1]:6379");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->scheme, "redis");
  EXPECT_EQ(u->host, "::1");
  EXPECT_TRUE(u->host_is_ipv6());
  EXPECT_EQ(u->authority(1), "[::1]:6379");
  auto v = parse_url("tcp://db");
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->port);
  EXPECT_FALSE(v->password);
  EXPECT_EQ(v->path, "");
}

TEST(ParseUrl, PasswordMayContainAtSign) {
  auto u = parse_url("redis://:a@b@host:1/0");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->password, "a@b");
  EXPECT_EQ(u->host, "host");
}

TEST(ParseUrl, RejectsBadInputWithoutEchoingThePassword) {
  for (const char* bad : {"redis//host", "://host", "redis://", "redis://host:0", "redis://host:65536",
                          "redis://host:abc", "redis://host:", "redis://[::1", "redis://ho st:1", "1redis://h",
                          "redis://[zz]:1"}) {
    EXPECT_FALSE(parse_url(bad).ok()) << bad;
  }
  auto r = parse_url("redis://:hunter2secret@host:99999");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().find("hunter2secret"), std::string::npos);
}

std::string shown(std::string_view text) {
  auto url = parse_url(text);
  EXPECT_TRUE(url.ok()) << text;
  return url.ok() ? shown_url(*url) : "";
}

TEST(ShownUrl, MasksThePasswordKeepsTheUser) {
  EXPECT_EQ(shown("redis://:s3cret@10.0.0.3:6379/0"), "redis://:***@10.0.0.3:6379/0");
  EXPECT_EQ(shown("postgres://app:s3cret@db/app"), "postgres://app:***@db/app");
  EXPECT_EQ(shown("redis://10.0.0.3:6379/0"), "redis://10.0.0.3:6379/0");
  EXPECT_EQ(shown("http://[::1]:8080/x"), "http://[::1]:8080/x");
}

TEST(ShownUrl, ALoneUserNameIsAToken) {
  EXPECT_EQ(shown("https://ghp_canaryToken123@github.example/x"), "https://***@github.example/x");
}

TEST(ShownUrl, MasksCredentialParametersAndNestedUrlsAndDropsTheFragment) {
  EXPECT_EQ(shown("https://h/x?token=abc&page=2&password=p&X-Amz-Signature=f00&sig=s1"),
            "https://h/x?token=***&page=2&password=***&X-Amz-Signature=***&sig=***");
  EXPECT_EQ(shown("https://h/cb?next=https%3A%2F%2Fu%3Apw%40inner%2F&x=1"), "https://h/cb?next=***&x=1");
  EXPECT_EQ(shown("https://h/cb#access_token=abc"), "https://h/cb");
}

// The value shown is built from the parts, never cut out of the raw text:
// a password repeated elsewhere (found by fuzz_url) is not shown either.
TEST(ShownUrl, ThePasswordRepeatedInTheTextIsNotShown) {
  std::string s = shown("postgres://u:secret@db.internal:5432/app?sslres://u:secret@db.ord=x");
  EXPECT_EQ(s.find("secret"), std::string::npos) << s;
  s = shown("redis://:p%40ss@10.0.0.3/x?echo=p@ss");
  EXPECT_EQ(s.find("p%40ss"), std::string::npos) << s;
  EXPECT_EQ(s.find("p@ss"), std::string::npos) << s;
}

// Found by fuzz_url: the password written again in the path.
TEST(ShownUrl, ThePasswordInThePathIsMasked) {
  std::string s = shown("redis://:p%02ss@1/:p\x02ss@ss@12.0.0.9/0");
  EXPECT_EQ(s.find("p\x02ss"), std::string::npos) << s;
  // Across the query's own separators too.
  s = shown("http://:a%26bc@h/?x=:a&bc@");
  EXPECT_EQ(s.find("a&bc"), std::string::npos) << s;
}

TEST(ParseUrl, ErrorsNameThePartNeverTheText) {
  // An unencoded '/' in a password makes "pa" the port and "us" the host.
  for (const char* bad : {"http://us:pa/ss@host/", "http://u@tok en/", "h%t://x", "http://[canary-v6]/"}) {
    auto r = parse_url(bad);
    ASSERT_FALSE(r.ok()) << bad;
    for (const char* fragment : {"pa", "tok en", "h%t", "canary"}) {
      EXPECT_EQ(r.error().find(fragment), std::string::npos) << bad << ": " << r.error();
    }
  }
}

}  // namespace
}  // namespace preflight
