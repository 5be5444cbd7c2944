// The health check's bytes against what the official library sends and
// answers (captured from libgrpc++ 1.51's default health service).
#include <gtest/gtest.h>

#include "probes/grpc/grpc_health.h"

namespace preflight::grpc {
namespace {

using namespace std::string_literals;

TEST(GrpcHealth, TheRequestIsOneUncompressedLengthPrefixedMessage) {
  EXPECT_EQ(health_check_request(""), "\0\0\0\0\0"s);  // proto3 leaves an empty string out
  EXPECT_EQ(health_check_request("well"), "\0\0\0\0\x06\x0a\x04well"s);
  // A name longer than 127 bytes needs a two-byte length.
  std::string long_name(200, 'n');
  EXPECT_EQ(health_check_request(long_name).substr(0, 8), "\0\0\0\0\xcb\x0a\xc8\x01"s);
}

TEST(GrpcHealth, TheStatusIsReadFromTheServersReply) {
  EXPECT_EQ(*read_health_response("\0\0\0\0\x02\x08\x01"s), 1);  // SERVING, as libgrpc++ sends it
  EXPECT_EQ(*read_health_response("\0\0\0\0\x02\x08\x02"s), 2);
  EXPECT_EQ(*read_health_response("\0\0\0\0\0"s), 0);  // proto3: absent is UNKNOWN
}

TEST(GrpcHealth, UnknownFieldsOfEveryWireTypeAreSkipped) {
  // field 2 string "abc", field 1 = SERVING, field 3 fixed32, field 4 fixed64
  std::string message = "\x12\x03" "abc" "\x08\x01" "\x1d\x01\x02\x03\x04" "\x21\x01\x02\x03\x04\x05\x06\x07\x08"s;
  std::string frame = "\0\0\0\0"s + static_cast<char>(message.size()) + message;
  EXPECT_EQ(*read_health_response(frame), 1);
}

TEST(GrpcHealth, MalformedRepliesAreProtocolFailures) {
  for (const std::string& bad : {""s, "\0\0\0"s, "\1\0\0\0\x02\x08\x01"s, "\0\0\0\0\x03\x08\x01"s, "\0\0\0\0\x02\x08\x01\x00"s,
                                 "\0\0\0\0\x01\x08"s, "\0\0\0\0\x02\x12\x05"s, "\0\0\0\0\x02\x0b\x01"s}) {
    auto r = read_health_response(bad);
    ASSERT_FALSE(r.ok()) << ::testing::PrintToString(bad);
    EXPECT_EQ(r.error().kind, FailureKind::protocol);
  }
}

TEST(GrpcHealth, NamesComeFromTheSpec) {
  EXPECT_EQ(serving_name(2), "NOT_SERVING");
  EXPECT_EQ(serving_name(9), "status 9");
  EXPECT_EQ(status_code_name(12), "UNIMPLEMENTED");
  EXPECT_EQ(status_code_name(16), "UNAUTHENTICATED");
  EXPECT_EQ(status_code_name(17), "status 17");
}

// gRPC's "HTTP to gRPC status code mapping" (doc/http-grpc-status-mapping.md).
TEST(GrpcHealth, AnHttpErrorMapsAsGrpcClientsMapIt) {
  EXPECT_EQ(status_from_http(400), 13);
  EXPECT_EQ(status_from_http(401), 16);
  EXPECT_EQ(status_from_http(403), 7);
  EXPECT_EQ(status_from_http(404), 12);
  for (long s : {429, 502, 503, 504}) EXPECT_EQ(status_from_http(s), 14) << s;
  EXPECT_EQ(status_from_http(500), 2);
}

TEST(GrpcHealth, GrpcMessageIsPercentDecodedAndABrokenEscapeKept) {
  EXPECT_EQ(decode_message("service%20name%20unknown"), "service name unknown");
  EXPECT_EQ(decode_message("%E2%9C%93 ok"), "\xe2\x9c\x93 ok");
  EXPECT_EQ(decode_message("100%"), "100%");
  EXPECT_EQ(decode_message("%zz%4"), "%zz%4");
}

}  // namespace
}  // namespace preflight::grpc
