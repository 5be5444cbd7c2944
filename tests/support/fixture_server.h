// Misbehaving (and minimal well-behaved) TCP servers on 127.0.0.1, each on
// its own thread, stopped and joined by the destructor.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace preflight::testing {

enum class Behaviour {
  silent,           // accepts, reads, never writes (also stalls a TLS handshake)
  close_on_accept,  // accepts and closes at once
  garbage,          // answers any bytes with an HTTP 400 page
  trickle,          // writes "+" then one byte every 200 ms, never a line end
  fake_redis,       // RESP: -LOADING for the first `loading_connections`, then +OK / +PONG
  blackhole,        // listen queue full: connects never complete
  reset_mid_reply,  // on the first request bytes, sends FixtureOptions::partial_reply then a TCP reset
  postgres_starting,  // answers a PostgreSQL startup with FixtureOptions::postgres_fatal (57P03 "starting up")
  postgres_password_echo,  // asks for the password in clear, then fails the login quoting postgres_password_echo(it)
  // mysql_cleartext: a MySQL server asking for mysql_clear_password, in its
  // greeting or (mysql_switch) by switching after the first reply; every
  // byte the client sends goes to mysql_received; the login is denied.
  mysql_cleartext,
  http,             // FixtureOptions::http answers each request (then closes); "" holds it silently
  websocket,        // a WebSocket server misbehaving as FixtureOptions::websocket says
};

// Builds a complete HTTP/1.1 response that closes the connection.
std::string http_response(int status, const std::string& body, const std::string& extra_headers = "");

enum class WebSocketMode { good, bad_accept, forbidden, never_pong, oversized_frame, chatty };

struct FixtureOptions {
  int loading_connections = 0;  // fake_redis: connections answered with -LOADING
  std::string redis_error;      // fake_redis: when set, every command gets this error line ("MASTERDOWN ...")
  // postgres_starting: the SQLSTATE and message of the FATAL error sent.
  std::string postgres_code = "57P03";
  std::string postgres_message = "the database system is starting up";
  std::string postgres_detail;  // "": no DETAIL field
  // postgres_password_echo: the FATAL message made of the password received.
  std::function<std::string(const std::string&)> postgres_password_echo;
  std::chrono::milliseconds trickle_interval{200};
  // http: (connection index, request head) → response bytes.
  std::function<std::string(int, const std::string&)> http;
  WebSocketMode websocket = WebSocketMode::good;
  std::string partial_reply = "+PO";  // reset_mid_reply: the start of a reply, cut short
  std::string greeting;  // close_on_accept: written first (Redis protected mode's -DENIED line)
  bool mysql_switch = false;
  std::function<void(const std::string&)> mysql_received;  // runs on the fixture's thread
};

class FixtureServer {
 public:
  explicit FixtureServer(Behaviour behaviour, FixtureOptions options = {});
  ~FixtureServer();
  FixtureServer(const FixtureServer&) = delete;
  FixtureServer& operator=(const FixtureServer&) = delete;

  int port() const { return port_; }
  int connections() const { return accepted_.load(); }
  // True once at least `n` connections were accepted; false after `limit`.
  // What a test awaits instead of sleeping until a client "must" be there.
  bool await_connections(int n, std::chrono::milliseconds limit) const;

 private:
  void serve();

  Behaviour behaviour_;
  FixtureOptions options_;
  int listen_fd_ = -1;
  int stop_fd_ = -1;
  int port_ = 0;
  std::vector<int> queue_fillers_;  // blackhole: client sockets that fill the accept queue
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

}  // namespace preflight::testing
