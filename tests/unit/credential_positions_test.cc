// Issue 27, class 7: credentials a peer made up, masked by where they stand.
// Each row is text in the form the named software writes it; the second
// half holds the server words diagnosis reads, which must stay whole.
#include "base/credential_positions.h"

#include <gtest/gtest.h>

#include "base/redact.h"

namespace preflight {
namespace {

struct PeerRow {
  const char* what;
  std::string text;
  std::string masked;
};

std::vector<PeerRow> credential_rows() {
  return {
      {"implicit-grant redirect (RFC 6749 4.2.2)",
       "Location: https://app.example.com/cb#access_token=2YotnFZFEjr1zCsicMWpAA&state=xyz&token_type=example",
       "Location: https://app.example.com/cb#access_token=***&state=xyz&token_type=example"},
      {"S3 presigned URL (AWS docs' example)",
       "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE"
       "%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders="
       "host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
       "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=***&X-Amz-Date="
       "20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=***"},
      {"GCS signed URL", "https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=5a4b3c2d1e0f",
       "https://storage.googleapis.com/b/o?X-Goog-Algorithm=GOOG4-RSA-SHA256&X-Goog-Signature=***"},
      {"redirect with a password", "302 to https://deploy:Tr0ub4dor@registry.example.com/v2/",
       "302 to https://deploy:***@registry.example.com/v2/"},
      {"redirect with a token as the user", "see https://x9f8e7d6c5b4a@github.com/org/repo", "see https://***@github.com/org/repo"},
      {"a database URL's user alone is a name", "postgres://app@db:5432/orders", "postgres://app@db:5432/orders"},
      {"Set-Cookie (RFC 6265)", "Set-Cookie: SID=31d4d96e407aad42; Path=/; Secure; HttpOnly",
       "Set-Cookie: SID=***; Path=/; Secure; HttpOnly"},
      {"Cookie echoed", "Cookie: SID=31d4d96e407aad42; lang=en-US", "Cookie: SID=***; lang=***"},
      {"OAuth 1.0a header (Twitter's docs)",
       "Authorization: OAuth oauth_consumer_key=\"xvz1evFS4wEEPTGEFPHBog\", oauth_signature=\"tnnArxj06cWHq44gCs1OSKk%2FjY%3D\", "
       "oauth_token=\"370773112-GmHxMAgYyLbNEtIKZeRNFsMKPR9EyMZeS9weJAEb\"",
       "Authorization: OAuth ***"},
      {"OAuth parameters quoted elsewhere",
       "bad request: oauth_token=\"370773112-GmHxMAgY\", oauth_signature=\"tnnArxj06cWHq44\", oauth_version=\"1.0\"",
       "bad request: oauth_token=\"***\", oauth_signature=\"***\", oauth_version=\"1.0\""},
      {"bearer header echoed", "Authorization: Bearer mF_9.B5f-4.1JqM\r\nHost: x", "Authorization: Bearer ***\r\nHost: x"},
      {"form fields", "username=alice&passcode=482913&remember=1", "username=alice&passcode=***&remember=1"},
      {"JSON client assertion (RFC 7523)",
       "{\"grant_type\":\"client_credentials\",\"client_assertion\":\"header.claims.sig\",\"client_id\":\"s6BhdRkqt3\"}",
       "{\"grant_type\":\"client_credentials\",\"client_assertion\":\"***\",\"client_id\":\"s6BhdRkqt3\"}"},
      {"JSON headers echoed (httpbin)", "{\"headers\": {\"Authorization\": \"Bearer mF_9.B5f-4.1JqM\", \"Host\": \"x\"}}",
       "{\"headers\": {\"Authorization\": \"***\", \"Host\": \"x\"}}"},
      {"Python repr", "got {'password': 'hunter2', 'user': 'app'}", "got {'password': '***', 'user': 'app'}"},
      {"JSON inside a JSON string", "{\"error\": \"{\\\"access_token\\\": \\\"SlAV32hkKG\\\"}\"}",
       "{\"error\": \"{\\\"access_token\\\": \\\"***\\\"}\"}"},
      {"a JWT, whole",
       "invalid token eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U "
       "for audience",
       "invalid token *** for audience"},
      {"a JWT cut before its first dot", "token eyJhbGciOiJSUzI1NiIsImtpZCI6IjFl...", "token ***..."},
      {"a Google OAuth access token", "Request had invalid authentication credentials: ya29.a0AfB_byC3xYzQ9",
       "Request had invalid authentication credentials: ***"},
      {"an AWS access key id", "The AWS Access Key Id AKIAIOSFODNN7EXAMPLE you provided does not exist",
       "The AWS Access Key Id *** you provided does not exist"},
      {"a GitHub token", "Bad credentials for ghp_16C7e42F292c6912E7710c838347Ae178B4a",
       "Bad credentials for ***"},
      {"an opaque random token", "unknown session Zq8Xf3Lk9Pw2Rt7Yv5Nb1Mc6Hd4Gs0JaQe2Wu", "unknown session ***"},
  };
}

// Server words that diagnosis and the on-call engineer read.
std::vector<std::string> untouched_rows() {
  return {
      "Access denied for user 'app'@'localhost' (using password: YES)",
      "FATAL:  password authentication failed for user \"app\"",
      "FATAL:  no pg_hba.conf entry for host \"127.0.0.1\", user \"app\", database \"app\", no encryption",
      "WRONGPASS invalid username-password pair or user is disabled.",
      "NOAUTH Authentication required.",
      "-ERR 'Authorization Violation'",
      "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.",
      "Location: /login?next=%2Fhealth",
      "https://accounts.google.com/o/oauth2/v2/auth?client_id=123.apps.googleusercontent.com&response_type=code&state=xyz",
      "HTTP/1.1 101 Switching Protocols, Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=",
      "request 123e4567-e89b-12d3-a456-426614174000 failed",
      "digest sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      "org.postgresql.util.PSQLException: AuthenticationFailedException in ConnectionFactoryImpl",
      "max_client_conn=100 reached; error_code=53300; status_code=503",
  };
}

TEST(CredentialPositions, EachPositionIsMasked) {
  for (const auto& row : credential_rows()) {
    EXPECT_EQ(mask_credential_positions(row.text), row.masked) << row.what;
  }
}

TEST(CredentialPositions, ServerWordsStayWhole) {
  for (const auto& text : untouched_rows()) EXPECT_EQ(mask_credential_positions(text), text);
}

// The positions are applied to what a peer wrote, before the cut: a
// token reaching past the shown part is judged whole.
TEST(CredentialPositions, AnExcerptMasksATokenReachingPastItsCut) {
  const Redactor none;
  const Redactor with_a_secret({"kept-Secret-9"});
  const std::string body = "invalid: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N";
  EXPECT_EQ(none.excerpt(body, 20), "invalid: ***");
  EXPECT_EQ(none.scrub_peer("Set-Cookie: SID=31d4d96e407aad42"), "Set-Cookie: SID=***");
  // preflight's own words are not peer text: scrub masks registered
  // secrets only, never a position (a redactor with a secret, so that the
  // scrub reads the text).
  EXPECT_EQ(with_a_secret.scrub("password=from-.env:3 token=xyz kept-Secret-9"), "password=from-.env:3 token=xyz ***");
}

}  // namespace
}  // namespace preflight
