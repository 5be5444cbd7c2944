#include "config/secret_manager.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

namespace preflight {
namespace {

TEST(Crc32c, MatchesTheKnownCheckValue) {
  EXPECT_EQ(crc32c("123456789"), 0xE3069283u);  // the CRC-32C check value
  EXPECT_EQ(crc32c(""), 0u);
}

TEST(Base64Decode, DecodesStandardAndUrlSafe) {
  EXPECT_EQ(base64_decode("aHVudGVyMg=="), "hunter2");
  EXPECT_EQ(base64_decode("aHVudGVyMg"), "hunter2");
  EXPECT_EQ(base64_decode("-_8="), std::string("\xfb\xff", 2));
  EXPECT_FALSE(base64_decode("a$=="));
  EXPECT_FALSE(base64_decode("aGk=x"));
}

TEST(SecretManager, VerifiesChecksum) {
  std::string good = fmt::format(R"({{"name":"projects/p/secrets/k/versions/1","payload":{{"data":"aHVudGVyMg==","dataCrc32c":"{}"}}}})",
                                 crc32c("hunter2"));
  auto ok = parse_secret_manager_json(good);
  ASSERT_TRUE(ok.ok()) << ok.error();
  EXPECT_FALSE((*ok)[0].checksum_error);
  auto bad = parse_secret_manager_json(
      R"({"name":"projects/p/secrets/k/versions/1","payload":{"data":"aHVudGVyMg==","dataCrc32c":"1"}})");
  ASSERT_TRUE(bad.ok());
  ASSERT_TRUE((*bad)[0].checksum_error);
  EXPECT_EQ((*bad)[0].checksum_error->find("hunter2"), std::string::npos);
}

TEST(SecretManager, RejectsMalformedShapesWithAPath) {
  for (const char* bad : {"not json", "[1]", R"({"name":"x","payload":{"data":"aA=="}})",
                          R"({"name":"projects/p/secrets/k/versions/1"})",
                          R"({"name":"projects/p/secrets/k/versions/1","payload":{"data":"%%%"}})"}) {
    EXPECT_FALSE(parse_secret_manager_json(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace preflight
