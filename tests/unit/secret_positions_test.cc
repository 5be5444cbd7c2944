// Issue 27, class 12: what a header gives the redactor, and what it must not.
#include "base/secret_positions.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "base/redact.h"

namespace preflight {
namespace {

std::vector<std::string> header_secrets(std::string_view value) {
  std::vector<std::string> out;
  add_header_secrets(value, out);
  return out;
}

bool holds(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

TEST(HeaderSecrets, AKeyEndingInEqualsSignsGivesNoEqualsSign) {
  auto secrets = header_secrets("Bearer c2VjcmV0LWtleQ==");
  EXPECT_TRUE(holds(secrets, "c2VjcmV0LWtleQ=="));
  EXPECT_FALSE(holds(secrets, "="));
  EXPECT_FALSE(holds(secrets, "=="));
  const Redactor r(secrets);
  EXPECT_EQ(r.scrub("sslmode=require, a==b"), "sslmode=require, a==b");
}

TEST(HeaderSecrets, AValueAfterEqualsSignsIsStillASecret) {
  auto secrets = header_secrets("AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE, Signature=fe5f80f77d5fa3beca038a248ff027");
  EXPECT_TRUE(holds(secrets, "AKIAEXAMPLE"));
  EXPECT_TRUE(holds(secrets, "fe5f80f77d5fa3beca038a248ff027"));
  EXPECT_FALSE(holds(secrets, "AWS4-HMAC-SHA256"));
}

TEST(HeaderSecrets, SchemeWordsOfTheRegistryAreNotSecrets) {
  for (const char* scheme : {"OAuth", "DPoP", "Negotiate", "SCRAM-SHA-256", "PrivateToken"}) {
    auto secrets = header_secrets(std::string(scheme) + " tok-9f8e7d6c5b4a");
    EXPECT_FALSE(holds(secrets, scheme)) << scheme;
    EXPECT_TRUE(holds(secrets, "tok-9f8e7d6c5b4a")) << scheme;
    EXPECT_EQ(Redactor(secrets).scrub(std::string("scheme ") + scheme + " refused"), std::string("scheme ") + scheme + " refused");
  }
}

}  // namespace
}  // namespace preflight
