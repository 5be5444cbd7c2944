// The websocket probe against fixture WebSocket servers.
#include <gtest/gtest.h>

#include "fixture_server.h"
#include "harness.h"

namespace preflight::testing {
namespace {

OneCheck probe(WebSocketMode mode, const std::string& timeout = "1.5s", const std::string& extra = "") {
  FixtureServer server(Behaviour::websocket, {.websocket = mode});
  return run_one(fmt::format(R"({{"name":"gateway","type":"websocket","url":"ws://127.0.0.1:{}/ws?room=1"{}}})", server.port(), extra),
                 timeout);
}

TEST(WebSocketProbe, PassesOnHandshakeAndPong) {
  auto r = probe(WebSocketMode::good);
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
  EXPECT_EQ(r.report.attempts, 1);
}

TEST(WebSocketProbe, ToleratesFragmentsAndServerPingsBeforeThePong) {
  auto r = probe(WebSocketMode::chatty);
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
}

TEST(WebSocketProbe, WrongAcceptKeyIsProtocol) {
  auto r = probe(WebSocketMode::bad_accept);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::protocol);
  EXPECT_NE(r.report.error->message.find("Sec-WebSocket-Accept"), std::string::npos) << describe(r.report);
}

TEST(WebSocketProbe, ForbiddenUpgradeIsAuthWithTheStatusLine) {
  auto r = probe(WebSocketMode::forbidden);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::auth) << describe(r.report);
  EXPECT_NE(r.report.error->message.find("403"), std::string::npos);
  EXPECT_NE(r.report.error->message.find("saying \"no token\""), std::string::npos) << describe(r.report);
  EXPECT_EQ(r.report.attempts, 1);
}

// The reason a server gives for refusing is the failure's most useful line:
// shown from a chunked body too, without its framing.
TEST(WebSocketProbe, ARefusalShowsTheReasonFromAChunkedBody) {
  FixtureServer server(Behaviour::http, {.http = [](int, const std::string&) {
                         return std::string("HTTP/1.1 403 Forbidden\r\nTransfer-Encoding: chunked\r\n\r\n"
                                            "7\r\norigin \r\ne\r\nnot allowed: x\r\n0\r\n\r\n");
                       }});
  auto r = run_one(fmt::format(R"({{"name":"ws","type":"websocket","url":"ws://127.0.0.1:{}/ws"}})", server.port()), "1s", true);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::auth) << describe(r.report);
  EXPECT_NE(r.report.error->message.find("saying \"origin not allowed: x\""), std::string::npos) << describe(r.report);
}

TEST(WebSocketProbe, NoPongIsUnhealthyAtTheDeadline) {
  auto r = probe(WebSocketMode::never_pong);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::unhealthy) << describe(r.report);
  EXPECT_NE(r.report.error->message.find("no pong"), std::string::npos);
  EXPECT_GE(r.report.elapsed_ms, 1495);
  EXPECT_LE(r.report.elapsed_ms, 1500 + kDeadlineSlackMs);
}

TEST(WebSocketProbe, PingFalseSkipsThePing) {
  auto r = probe(WebSocketMode::never_pong, "1.5s", R"(,"ping":false)");
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
}

TEST(WebSocketProbe, OversizedFrameIsProtocol) {
  auto r = probe(WebSocketMode::oversized_frame);
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::protocol) << describe(r.report);
  EXPECT_NE(r.report.error->message.find("byte limit"), std::string::npos);
}

TEST(WebSocketProbe, SilentServerGivesUpAtTheDeadline) {
  FixtureServer silent(Behaviour::silent);
  auto r = run_one(fmt::format(R"({{"name":"gateway","type":"websocket","url":"ws://127.0.0.1:{}/"}})", silent.port()));
  ASSERT_TRUE(r.report.error);
  EXPECT_EQ(r.report.error->kind, FailureKind::timeout) << describe(r.report);
  EXPECT_LE(r.report.elapsed_ms, 1500 + kDeadlineSlackMs);
}

TEST(WebSocketProbe, HttpServerIsNotAWebSocket) {
  FixtureServer http(Behaviour::http, {.http = [](int, const std::string&) { return http_response(200, "<html>"); }});
  auto r = run_one(fmt::format(R"({{"name":"gateway","type":"websocket","url":"ws://127.0.0.1:{}/"}})", http.port()), "300ms");
  ASSERT_TRUE(r.report.error);
  EXPECT_NE(r.report.error->message.find("200"), std::string::npos) << describe(r.report);
}

// ws >= 8 and socket.io-client take http:// for ws:// and https:// for
// wss://: WEBSOCKET_URL is often the service's web address.
TEST(WebSocketProbe, AnHttpUrlIsAWebSocketOnTheSamePath) {
  FixtureServer server(Behaviour::websocket, {.websocket = WebSocketMode::good});
  auto r = run_one(fmt::format(R"({{"name":"gateway","type":"websocket","url":"http://127.0.0.1:{}/ws"}})", server.port()));
  EXPECT_EQ(r.report.status, CheckStatus::passed) << describe(r.report);
}

TEST(WebSocketProbe, AnHttpsUrlSpeaksTls) {
  FixtureServer server(Behaviour::websocket, {.websocket = WebSocketMode::good});
  auto r = run_one(fmt::format(R"({{"name":"gateway","type":"websocket","url":"https://127.0.0.1:{}/ws"}})", server.port()),
                   "300ms");
  ASSERT_TRUE(r.report.error);
  // The plain fixture waits for a request while the client waits for its
  // TLS handshake to be answered.
  EXPECT_NE(r.report.error->message.find("TLS handshake"), std::string::npos) << describe(r.report);
}

}  // namespace
}  // namespace preflight::testing
