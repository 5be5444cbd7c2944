// memcached, as its clients list it (memcached_reader.h): the text
// protocol's `version` to every server of the list, since each holds part
// of the keys; the server answers "VERSION x.y.z" once it serves requests.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "net/connection.h"
#include "probes/line_reader.h"
#include "probes/memcached/memcached_reader.h"
#include "probes/probe_types.h"
#include "base/redact.h"

namespace preflight {
namespace {

constexpr size_t kMaxReplyLine = 1024;

class MemcachedProbe final : public Probe {
 public:
  MemcachedProbe(std::vector<Endpoint> servers, std::shared_ptr<const Redactor> redactor)
      : servers_(std::move(servers)), redactor_(std::move(redactor)) {}

  Status attempt(Deadline deadline, const CancelToken& cancel) const override {
    for (size_t i = 0; i < servers_.size(); ++i) {
      Status answered = ask_version(servers_[i], deadline, cancel);
      if (!answered.ok() && servers_.size() > 1) {
        // Which server of the list: the others may be fine, and each
        // holds its share of the keys.
        Failure f = answered.error();
        f.message = fmt::format("server {} of {}: {}", i + 1, servers_.size(), f.message);
        return Unexpected<Failure>{std::move(f)};
      }
      if (!answered.ok()) return answered;
    }
    return {};
  }

 private:
  Status ask_version(const Endpoint& server, Deadline deadline, const CancelToken& cancel) const {
    auto conn = net::Connection::open(server, {}, deadline, cancel);
    if (!conn.ok()) return Unexpected<Failure>{conn.error()};
    if (auto sent = conn->send_all("version\r\n", deadline, cancel); !sent.ok()) return sent;
    std::string buffer;
    auto read = read_line(*conn, buffer, kMaxReplyLine, *redactor_, deadline, cancel);
    if (!read.ok()) return Unexpected<Failure>{read.error()};
    const std::string& line = *read;
    if (line.starts_with("VERSION ")) return {};
    // SERVER_ERROR: the server is there but cannot serve (out of memory,
    // shutting down); anything else is not memcached's text protocol.
    std::string code = line.substr(0, line.find(' '));
    FailureKind kind = code == "SERVER_ERROR" ? FailureKind::unhealthy : FailureKind::protocol;
    return Unexpected<Failure>{Failure{kind,
                                       fmt::format("{} answered version with \"{}\" instead of \"VERSION ...\"", conn->peer(),
                                                   redactor_->excerpt(line)),
                                       {}, Stage::reply, code == "SERVER_ERROR" || code == "ERROR" || code == "CLIENT_ERROR" ? code : ""}};
  }

  std::vector<Endpoint> servers_;
  std::shared_ptr<const Redactor> redactor_;
};

Result<std::unique_ptr<Probe>> make_memcached_probe(const ProbeInput& in) {
  if (in.target.password) {
    return fail(FailureKind::invalid_config, "memcached's text protocol has no password (SASL needs the binary protocol)",
                "drop the credentials from the server list; a SASL-only server (MemCachier) cannot be checked yet, use a tcp check");
  }
  return std::unique_ptr<Probe>(std::make_unique<MemcachedProbe>(in.target.endpoints, in.redactor));
}

}  // namespace

// memcached_profile.cc
void offer_memcached_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out);

extern const ProbeType kMemcachedProbeType{
    .name = "memcached",
    .schemes = {{"memcached", kDefaultMemcachedPort}},
    .make = make_memcached_probe,
    .read = read_memcached,
    // The text protocol has no authentication and no TLS: nothing to advise.
    .cleartext_advice = [](const Target&) -> std::optional<std::string> { return std::nullopt; },
    .offer = offer_memcached_checks,
    .health_names = {"memcached", "cache"},
};

}  // namespace preflight
