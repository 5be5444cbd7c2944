#include "resolve.h"

#include "wait.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include <fmt/format.h>

namespace preflight::net {
namespace {

struct Lookup {
  std::mutex mutex;
  int gai_error = 0;
  std::vector<std::string> addresses;
  int done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  ~Lookup() { close(done_fd); }
};

void run_lookup(const std::shared_ptr<Lookup>& lookup, std::string host, uint16_t port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  std::string service = std::to_string(port);
  int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &res);
  std::vector<std::string> v4, v6;
  for (addrinfo* ai = res; rc == 0 && ai; ai = ai->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    const void* addr = ai->ai_family == AF_INET ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr)
                                                : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr);
    if (inet_ntop(ai->ai_family, addr, text, sizeof text) == nullptr) continue;
    auto& list = ai->ai_family == AF_INET ? v4 : v6;
    if (std::find(list.begin(), list.end(), text) == list.end()) list.emplace_back(text);
  }
  if (res) freeaddrinfo(res);
  std::lock_guard lock(lookup->mutex);
  lookup->gai_error = rc;
  lookup->addresses = std::move(v4);
  lookup->addresses.insert(lookup->addresses.end(), v6.begin(), v6.end());
  const uint64_t one = 1;
  [[maybe_unused]] auto n = write(lookup->done_fd, &one, sizeof one);
}

}  // namespace

bool is_ip_literal(const std::string& host) {
  unsigned char buf[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 || inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

Result<std::vector<std::string>> resolve(const std::string& host, uint16_t port, Deadline deadline,
                                         const CancelToken& cancel) {
  if (is_ip_literal(host)) return std::vector<std::string>{host};
  auto lookup = std::make_shared<Lookup>();
  try {
    std::thread(run_lookup, lookup, host, port).detach();
  } catch (const std::system_error& e) {
    // A process limit (a container's pids.max) refused the thread: said as
    // such, and retried like any failed lookup, never an internal error.
    return Unexpected<Failure>{at_stage({FailureKind::dns, fmt::format("cannot resolve host name \"{}\": no thread for the lookup "
                                                                       "(the process limit refused one: {})", host, e.what())},
                                        Stage::resolve)};
  }
  switch (wait_fd(lookup->done_fd, POLLIN, deadline, cancel)) {
    case WaitResult::cancelled: return fail(FailureKind::interrupted, "interrupted by a signal");
    case WaitResult::deadline:
      return Unexpected<Failure>{at_stage({FailureKind::timeout, fmt::format("DNS lookup of \"{}\" did not finish before the deadline", host)}, Stage::resolve)};
    case WaitResult::ready: break;
  }
  std::lock_guard lock(lookup->mutex);
  if (lookup->gai_error != 0 || lookup->addresses.empty()) {
    return Unexpected<Failure>{at_stage({FailureKind::dns, fmt::format("cannot resolve host name \"{}\": {}", host,
                                                                       lookup->gai_error ? gai_strerror(lookup->gai_error) : "no addresses")},
                                        Stage::resolve)};
  }
  return lookup->addresses;
}

}  // namespace preflight::net
