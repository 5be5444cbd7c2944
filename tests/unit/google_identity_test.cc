// An identity token is masked wherever a reply quotes it, whole or cut.
#include <gtest/gtest.h>

#include "probes/google_identity.h"

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

}  // namespace
}  // namespace preflight
