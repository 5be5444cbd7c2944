#include "config/placeholder.h"

#include <gtest/gtest.h>

namespace preflight {
namespace {

class FlagsPlaceholder : public ::testing::TestWithParam<const char*> {};
TEST_P(FlagsPlaceholder, Flags) { EXPECT_TRUE(placeholder_reason(GetParam())) << GetParam(); }
INSTANTIATE_TEST_SUITE_P(Placeholders, FlagsPlaceholder,
                         ::testing::Values("your-redis-instance-ip", "YOUR_PASSWORD_HERE", "yourdomain.com",
                                           "<REDIS_HOST>", "redis://<host>:6379", "{{ .Values.redis.host }}",
                                           "${REDIS_HOST}", "changeme", "CHANGE-ME", "change_me",
                                           "REPLACE_WITH_HOST", "replaceme", "TODO", "tbd", "FIXME",
                                           "db-fixme.internal", "xxx", "XXXXXXXX", "sk-xxxxxxxx",
                                           "xxx.xxx.xxx.xxx"));

class AcceptsRealValue : public ::testing::TestWithParam<const char*> {};
TEST_P(AcceptsRealValue, DoesNotFlag) {
  auto why = placeholder_reason(GetParam());
  EXPECT_FALSE(why) << GetParam() << ": " << why.value_or("");
}
INSTANTIATE_TEST_SUITE_P(RealValues, AcceptsRealValue,
                         ::testing::Values("10.12.0.3", "127.0.0.1", "::1", "redis.internal", "localhost",
                                           "memorystore-prod.europe-west1", "todo-api.svc.cluster.local",
                                           "replacement-db.internal", "younger-host", "6379",
                                           "h7#Kq!x9<>Lp", "p@ss<w>rd", "Zx8vT2qLmN4s", "examplehost.io",
                                           "postgres://app:s3cret@db:5432/app", "boxxer"));

TEST(ReservedHost, FlagsDocumentationAndReservedNames) {
  EXPECT_TRUE(reserved_host_reason("example.com"));
  EXPECT_TRUE(reserved_host_reason("redis.example.com"));
  EXPECT_TRUE(reserved_host_reason("api.example.org"));
  EXPECT_TRUE(reserved_host_reason("gateway.test"));
  EXPECT_TRUE(reserved_host_reason("db.invalid"));
  EXPECT_TRUE(reserved_host_reason("svc.example"));
}

TEST(ReservedHost, AcceptsOrdinaryNames) {
  EXPECT_FALSE(reserved_host_reason("example.company.com"));
  EXPECT_FALSE(reserved_host_reason("notexample.com"));
  EXPECT_FALSE(reserved_host_reason("testing.internal"));
  EXPECT_FALSE(reserved_host_reason("10.0.0.3"));
}

}  // namespace
}  // namespace preflight

namespace preflight {
namespace {

TEST(TemplateLikeHost, NamesThatReadLikeSlotsAfterAnNxdomain) {
  for (const char* h : {"redis-instance-ip", "REDIS_HOST", "my-db", "db-host", "your-redis-instance-ip", "sample.cache"}) {
    EXPECT_TRUE(template_like_host_reason(h)) << h;
  }
  for (const char* h : {"redis", "cache-primary.prod", "db1.internal", "memorystore-7f3a"}) {
    EXPECT_FALSE(template_like_host_reason(h)) << h;
  }
}

}  // namespace
}  // namespace preflight

namespace preflight {
namespace {

TEST(Placeholder, AGeneratedSecretMayHoldTemplateCharactersAnywhereButAsAWhole) {
  for (const char* generated : {"aB3<xyz>9q", "pa${ss}w0rd", "k{{9}}Z"}) {
    EXPECT_FALSE(placeholder_reason(generated, /*opaque=*/true)) << generated;
    EXPECT_TRUE(placeholder_reason(generated)) << generated << " (not a secret: still flagged)";
  }
  for (const char* slot : {"<your password>", "${DB_PASSWORD}", "{{ .Values.password }}", "your-password-here", "changeme"}) {
    EXPECT_TRUE(placeholder_reason(slot, /*opaque=*/true)) << slot;
  }
}

}  // namespace
}  // namespace preflight
