#include "preflight/url.h"

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

TEST(RedactUrl, ReplacesPasswordKeepsUser) {
  EXPECT_EQ(redact_url("redis://:s3cret@10.0.0.3:6379/0"), "redis://:***@10.0.0.3:6379/0");
  EXPECT_EQ(redact_url("postgres://app:s3cret@db/app"), "postgres://app:***@db/app");
  EXPECT_EQ(redact_url("redis://10.0.0.3:6379/0"), "redis://10.0.0.3:6379/0");
}

TEST(RedactUrl, ReplacesSecretQueryValues) {
  EXPECT_EQ(redact_url("https://h/x?token=abc&page=2&password=p"), "https://h/x?token=***&page=2&password=***");
}

// Found by fuzz_url: a URL nested in the query repeated the password.
TEST(RedactUrl, MasksThePasswordWhereverItIsRepeated) {
  std::string redacted = redact_url("postgres://u:secret@db.internal:5432/app?sslres://u:secret@db.ord=x");
  EXPECT_EQ(redacted.find("secret"), std::string::npos) << redacted;
  EXPECT_TRUE(redacted.starts_with("postgres://u:***@db.internal:5432/app?sslres://u:***@db.ord")) << redacted;
}

// Found by fuzz_url: the decoded password repeated later in the text.
TEST(RedactUrl, MasksTheDecodedPasswordToo) {
  std::string redacted = redact_url("redis://:p%40ss@10.0.0.3/x?echo=p@ss");
  EXPECT_EQ(redacted.find("p@ss"), std::string::npos) << redacted;
  EXPECT_EQ(redacted.find("p%40ss"), std::string::npos) << redacted;
}

TEST(RedactUrl, WorksOnTextThatIsNotAUrl) {
  EXPECT_EQ(redact_url("redis://:pw@host:notaport"), "redis://:***@host:notaport");
}

}  // namespace
}  // namespace preflight
