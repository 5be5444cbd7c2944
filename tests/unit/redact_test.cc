#include "preflight/redact.h"

#include <gtest/gtest.h>

namespace preflight {
namespace {

TEST(Redactor, ScrubsPlainUrlEncodedAndBase64Forms) {
  Redactor r({"canary-p@ss/w0rd"});
  EXPECT_EQ(r.scrub("x canary-p@ss/w0rd y"), "x *** y");
  EXPECT_EQ(r.scrub("x canary-p%40ss%2Fw0rd y"), "x *** y");
  EXPECT_EQ(r.scrub(std::string("b64: ") + base64_encode("canary-p@ss/w0rd")), "b64: ***==");
}

TEST(Redactor, IgnoresVeryShortValues) {
  Redactor r({"ab"});
  EXPECT_EQ(r.scrub("abc"), "abc");
}

TEST(Redactor, PrefersLongestSecret) {
  Redactor r({"secret", "secret-longer"});
  EXPECT_EQ(r.scrub("secret-longer"), "***");
}

TEST(Base64, EncodesWithPadding) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
}

}  // namespace
}  // namespace preflight
