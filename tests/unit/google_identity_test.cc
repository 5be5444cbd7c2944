// An identity token is masked wherever a reply quotes it, whole or cut.
#include <gtest/gtest.h>

#include "probes/google_identity.h"
#include "base/redact.h"

namespace preflight {
namespace {

const std::string kToken = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL3gifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbi1oZXJl";

TEST(MaskToken, TheTokenWholeOrCutIsMasked) {
  EXPECT_EQ(mask_token("rejected: Bearer " + kToken, kToken), "rejected: Bearer ***");
  EXPECT_EQ(mask_token("rejected: Bearer " + kToken.substr(0, 30) + "...", kToken), "rejected: Bearer ***...");
  // The signature alone is the secret part.
  EXPECT_EQ(mask_token("bad signature c2lnbmF0dXJlLW9mLXRoZS10b2tl", kToken), "bad signature ***");
  EXPECT_EQ(mask_token("nothing to hide", kToken), "nothing to hide");
}

// Issue 27, class 4: short, lower-cased, base64-encoded, or cut inside
// its signature.
TEST(MaskToken, ATokenInAnyFormOrLengthIsMasked) {
  const std::string short_token = "q7Rt2Kx9";
  EXPECT_EQ(mask_token("rejected: Bearer q7Rt2Kx9", short_token), "rejected: Bearer ***");
  EXPECT_EQ(mask_token("token q7rt2kx9 unknown", short_token), "token *** unknown");
  const std::string encoded = base64_encode("x:" + kToken);
  EXPECT_EQ(mask_token("seen " + encoded, kToken).find(encoded.substr(4, 20)), std::string::npos);
  const std::string signature = kToken.substr(kToken.rfind('.') + 1);
  EXPECT_EQ(mask_token("bad signature \"" + signature.substr(0, 9) + "\"", kToken), "bad signature \"***\"");
}

TEST(MaskToken, WhatIsSecretIsTheTokenAndItsSignature) {
  EXPECT_EQ(token_secrets("abc.def.ghijklmn"), (std::vector<std::string>{"abc.def.ghijklmn", "ghijklmn"}));
  EXPECT_EQ(token_secrets("opaque-token"), std::vector<std::string>{"opaque-token"});
}

}  // namespace
}  // namespace preflight
