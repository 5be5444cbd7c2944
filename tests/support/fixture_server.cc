#include "fixture_server.h"
#include "mysql_wire.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>

#include "probes/websocket/websocket_frame.h"

namespace preflight::testing {
namespace {

struct Client {
  int fd;
  int index;  // accept order
  std::string buffer;
  std::chrono::steady_clock::time_point next_trickle;
  bool answered = false;
  bool asked_password = false;
  std::unique_ptr<preflight::ws::FrameDecoder> frames;  // after a WebSocket upgrade
};

void send_text(int fd, std::string_view s) {
  while (!s.empty()) {
    ssize_t n = send(fd, s.data(), s.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    s.remove_prefix(static_cast<size_t>(n));
  }
}

// Pops one complete RESP command (array of bulk strings) from buf.
bool pop_command(std::string& buf, std::vector<std::string>& args) {
  args.clear();
  if (buf.empty() || buf[0] != '*') return false;
  size_t pos = buf.find("\r\n");
  if (pos == std::string::npos) return false;
  int count = std::atoi(buf.c_str() + 1);
  size_t at = pos + 2;
  for (int i = 0; i < count; ++i) {
    if (at >= buf.size() || buf[at] != '$') return false;
    size_t eol = buf.find("\r\n", at);
    if (eol == std::string::npos) return false;
    size_t len = static_cast<size_t>(std::atoi(buf.c_str() + at + 1));
    if (eol + 2 + len + 2 > buf.size()) return false;
    args.push_back(buf.substr(eol + 2, len));
    at = eol + 2 + len + 2;
  }
  buf.erase(0, at);
  return true;
}

std::string fake_redis_answer(const std::vector<std::string>& args, bool loading, const std::string& error) {
  if (loading) return "-LOADING Redis is loading the dataset in memory\r\n";
  if (!error.empty()) return "-" + error + "\r\n";
  if (!args.empty() && args[0] == "PING") return "+PONG\r\n";
  return "+OK\r\n";
}

// SSLRequest and GSSENCRequest are refused with 'N'; the startup packet gets
// the error a starting server sends.
void answer_postgres_starting(Client& c, const std::string& code, const std::string& message, const std::string& detail) {
  static const unsigned char kSslRequest[] = {0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f};
  static const unsigned char kGssRequest[] = {0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x30};
  while (c.buffer.size() >= 8 && (c.buffer.compare(0, 8, reinterpret_cast<const char*>(kSslRequest), 8) == 0 ||
                                  c.buffer.compare(0, 8, reinterpret_cast<const char*>(kGssRequest), 8) == 0)) {
    send_text(c.fd, "N");
    c.buffer.erase(0, 8);
  }
  if (c.buffer.size() < 8) return;
  std::string fields = std::string("SFATAL") + '\0' + "C" + code + '\0' + "M" + message + '\0';
  if (!detail.empty()) fields += "D" + detail + '\0';
  fields += '\0';
  uint32_t len = htonl(static_cast<uint32_t>(fields.size() + 4));
  std::string msg = "E" + std::string(reinterpret_cast<const char*>(&len), 4) + fields;
  send_text(c.fd, msg);
  close(c.fd);
  c.fd = -1;
}

std::string postgres_message(char type, const std::string& body) {
  uint32_t len = htonl(static_cast<uint32_t>(body.size() + 4));
  return type + std::string(reinterpret_cast<const char*>(&len), 4) + body;
}

// An adversarial server: AuthenticationCleartextPassword after the startup
// packet, then a FATAL 28P01 whose message quotes what the client sent.
void answer_postgres_password_echo(Client& c, const std::function<std::string(const std::string&)>& echo) {
  static const unsigned char kSslRequest[] = {0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f};
  static const unsigned char kGssRequest[] = {0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x30};
  if (!c.asked_password) {
    while (c.buffer.size() >= 8 && (c.buffer.compare(0, 8, reinterpret_cast<const char*>(kSslRequest), 8) == 0 ||
                                    c.buffer.compare(0, 8, reinterpret_cast<const char*>(kGssRequest), 8) == 0)) {
      send_text(c.fd, "N");
      c.buffer.erase(0, 8);
    }
    if (c.buffer.size() < 4) return;
    uint32_t len = 0;
    memcpy(&len, c.buffer.data(), 4);
    len = ntohl(len);
    if (c.buffer.size() < len) return;
    c.buffer.erase(0, len);
    const char auth[] = {0, 0, 0, 3};
    send_text(c.fd, postgres_message('R', std::string(auth, 4)));
    c.asked_password = true;
  }
  if (c.buffer.size() < 5 || c.buffer[0] != 'p') return;
  uint32_t len = 0;
  memcpy(&len, c.buffer.data() + 1, 4);
  len = ntohl(len);
  if (c.buffer.size() < len + 1) return;
  std::string password = c.buffer.substr(5, len - 4);
  if (!password.empty() && password.back() == '\0') password.pop_back();
  std::string fields = std::string("SFATAL") + '\0' + "C28P01" + '\0' + "M" + echo(password) + '\0' + '\0';
  send_text(c.fd, postgres_message('E', fields));
  close(c.fd);
  c.fd = -1;
}

// Asked for in the greeting: the first reply holds the password; with a
// switch, the reply to the AuthSwitchRequest does. Either way, denied.
void answer_mysql_cleartext(Client& c, const FixtureOptions& options) {
  while (auto packet = pop_mysql_packet(c.buffer)) {
    if (options.mysql_received) options.mysql_received(packet->payload);
    if (options.mysql_switch && !c.asked_password) {
      c.asked_password = true;
      send_text(c.fd, mysql_auth_switch(static_cast<uint8_t>(packet->sequence + 1), "mysql_clear_password"));
      continue;
    }
    send_text(c.fd, mysql_access_denied(static_cast<uint8_t>(packet->sequence + 1)));
    close(c.fd);
    c.fd = -1;
    return;
  }
}

void answer_websocket(Client& c, WebSocketMode mode) {
  using preflight::ws::Opcode;
  using preflight::ws::encode_frame;
  if (!c.frames) {
    size_t end = c.buffer.find("\r\n\r\n");
    if (end == std::string::npos) return;
    if (mode == WebSocketMode::forbidden) {
      send_text(c.fd, http_response(403, "no token"));
      close(c.fd);
      c.fd = -1;
      return;
    }
    std::string key;
    size_t at = c.buffer.find("Sec-WebSocket-Key: ");
    if (at != std::string::npos) key = c.buffer.substr(at + 19, c.buffer.find("\r\n", at) - at - 19);
    std::string accept = mode == WebSocketMode::bad_accept ? "d3JvbmcgYWNjZXB0IGtleQ==" : preflight::ws::accept_key(key);
    send_text(c.fd, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
                        accept + "\r\n\r\n");
    c.buffer.erase(0, end + 4);
    c.frames = std::make_unique<preflight::ws::FrameDecoder>(/*masked=*/true);
  }
  c.frames->feed(c.buffer);
  c.buffer.clear();
  for (;;) {
    auto frame = c.frames->next();
    if (!frame.ok() || !*frame) return;
    if ((*frame)->opcode != Opcode::ping) continue;
    switch (mode) {
      case WebSocketMode::never_pong: break;
      case WebSocketMode::oversized_frame:
        send_text(c.fd, std::string("\x82\x7f\x00\x00\x00\x10\x00\x00\x00\x00", 10));  // 64 GiB announced
        break;
      case WebSocketMode::chatty:
        send_text(c.fd, encode_frame(Opcode::text, "wel", std::nullopt, false));
        send_text(c.fd, encode_frame(Opcode::ping, "keepalive", std::nullopt));
        send_text(c.fd, encode_frame(Opcode::continuation, "come", std::nullopt, true));
        [[fallthrough]];
      default: send_text(c.fd, encode_frame(Opcode::pong, (*frame)->payload, std::nullopt));
    }
  }
}

}  // namespace

std::string http_response(int status, const std::string& body, const std::string& extra_headers) {
  return "HTTP/1.1 " + std::to_string(status) + " Fixture\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n" + extra_headers + "\r\n" + body;
}

FixtureServer::FixtureServer(Behaviour behaviour, FixtureOptions options)
    : behaviour_(behaviour), options_(options) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) throw std::runtime_error("bind failed");
  socklen_t len = sizeof addr;
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  // A deep queue: the benchmark opens 1,000 connections at once.
  listen(listen_fd_, behaviour == Behaviour::blackhole ? 0 : SOMAXCONN);
  stop_fd_ = eventfd(0, EFD_CLOEXEC);
  if (behaviour == Behaviour::blackhole) {
    // The queue of a backlog-0 listener holds one connection; fill it (and
    // then some) so that later SYNs are dropped.
    for (int i = 0; i < 3; ++i) {
      int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      connect(c, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
      queue_fillers_.push_back(c);
    }
    usleep(50'000);
    return;  // never accepts: no thread
  }
  thread_ = std::thread([this] { serve(); });
}

FixtureServer::~FixtureServer() {
  uint64_t one = 1;
  [[maybe_unused]] auto n = write(stop_fd_, &one, sizeof one);
  if (thread_.joinable()) thread_.join();
  for (int fd : queue_fillers_) close(fd);
  close(listen_fd_);
  close(stop_fd_);
}

void FixtureServer::serve() {
  std::vector<Client> clients;
  for (;;) {
    std::vector<pollfd> fds = {{stop_fd_, POLLIN, 0}, {listen_fd_, POLLIN, 0}};
    for (const auto& c : clients) fds.push_back({c.fd, POLLIN, 0});
    int timeout = behaviour_ == Behaviour::trickle ? 20 : 200;
    if (poll(fds.data(), fds.size(), timeout) < 0) continue;
    if (fds[0].revents) break;
    const size_t polled = clients.size();  // a client accepted below has no pollfd yet
    if (fds[1].revents & POLLIN) {
      int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd >= 0) {
        int index = accepted_++;
        if (behaviour_ == Behaviour::close_on_accept) {
          if (!options_.greeting.empty()) send_text(fd, options_.greeting);
          close(fd);
        } else {
          if (behaviour_ == Behaviour::trickle) send_text(fd, "+");
          if (behaviour_ == Behaviour::mysql_cleartext) {
            send_text(fd, mysql_greeting(options_.mysql_switch ? "mysql_native_password" : "mysql_clear_password"));
          }
          clients.push_back({fd, index, {}, std::chrono::steady_clock::now() + options_.trickle_interval, false, false, nullptr});
        }
      }
    }
    for (size_t i = 0; i < clients.size(); ++i) {
      Client& c = clients[i];
      if (i < polled && (fds[i + 2].revents & (POLLIN | POLLHUP | POLLERR))) {
        char buf[4096];
        ssize_t n = recv(c.fd, buf, sizeof buf, 0);
        if (n <= 0) {
          close(c.fd);
          c.fd = -1;
          continue;
        }
        c.buffer.append(buf, static_cast<size_t>(n));
        if (behaviour_ == Behaviour::reset_mid_reply) {
          send_text(c.fd, options_.partial_reply);
          linger reset{1, 0};  // close() then sends RST instead of FIN
          setsockopt(c.fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
          close(c.fd);
          c.fd = -1;
        } else if (behaviour_ == Behaviour::garbage) {
          send_text(c.fd, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        } else if (behaviour_ == Behaviour::http) {
          if (c.buffer.find("\r\n\r\n") != std::string::npos && !c.answered) {
            c.answered = true;
            std::string reply = options_.http(c.index, c.buffer);
            if (!reply.empty()) {
              send_text(c.fd, reply);
              close(c.fd);
              c.fd = -1;
            }
          }
        } else if (behaviour_ == Behaviour::websocket) {
          answer_websocket(c, options_.websocket);
        } else if (behaviour_ == Behaviour::postgres_starting) {
          answer_postgres_starting(c, options_.postgres_code, options_.postgres_message, options_.postgres_detail);
        } else if (behaviour_ == Behaviour::mysql_cleartext) {
          answer_mysql_cleartext(c, options_);
        } else if (behaviour_ == Behaviour::postgres_password_echo) {
          answer_postgres_password_echo(c, options_.postgres_password_echo);
        } else if (behaviour_ == Behaviour::fake_redis) {
          std::vector<std::string> args;
          while (pop_command(c.buffer, args)) {
            send_text(c.fd, fake_redis_answer(args, c.index < options_.loading_connections, options_.redis_error));
          }
        }
      }
      if (behaviour_ == Behaviour::trickle && c.fd >= 0 && std::chrono::steady_clock::now() >= c.next_trickle) {
        send_text(c.fd, "P");
        c.next_trickle += options_.trickle_interval;
      }
    }
    std::erase_if(clients, [](const Client& c) { return c.fd < 0; });
  }
  for (const auto& c : clients) close(c.fd);
}

bool FixtureServer::await_connections(int n, std::chrono::milliseconds limit) const {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (accepted_.load() < n) {  // bounded by `limit`
    if (std::chrono::steady_clock::now() >= until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

}  // namespace preflight::testing
