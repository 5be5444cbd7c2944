// tcp://host:port — the connection opens (and, with tls, the handshake
// completes). For dependencies with no protocol probe of their own.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "net/connection.h"
#include "probes/probe_types.h"

namespace preflight {
namespace {

class TcpProbe final : public Probe {
 public:
  TcpProbe(std::string host, uint16_t port, net::TlsOptions tls)
      : host_(std::move(host)), port_(port), tls_(std::move(tls)) {}

  Status attempt(Deadline deadline, const CancelToken& cancel) const override {
    auto conn = net::Connection::open(host_, port_, tls_, deadline, cancel);
    if (!conn.ok()) return Unexpected<Failure>{conn.error()};
    return {};
  }

 private:
  std::string host_;
  uint16_t port_;
  net::TlsOptions tls_;
};

Result<std::unique_ptr<Probe>> make_tcp_probe(const ProbeInput& in) {
  if (!in.url().port) return fail(FailureKind::invalid_config, "a tcp:// URL needs a port (tcp://host:port)");
  net::TlsOptions tls;
  tls.enabled = in.target.tls.use == TlsUse::required;
  tls.ca_file = in.target.tls.ca_file;
  tls.added_ca = in.target.tls.added_ca;
  tls.insecure_skip_verify = !in.target.tls.verify;
  return std::unique_ptr<Probe>(std::make_unique<TcpProbe>(in.url().host, *in.url().port, std::move(tls)));
}

}  // namespace

extern const ProbeType kTcpProbeType{
    .name = "tcp",
    .schemes = {{"tcp"}},
    .fields = {{"tls", FieldType::boolean}, {"ca_file", FieldType::string}, {"insecure_skip_verify", FieldType::boolean}},
    .make = make_tcp_probe,
    // "tls": a tcp:// URL cannot say it.
    .apply_fields =
        [](Target& t, const nlohmann::json& fields) {
          auto tls = fields.find("tls");
          t.tls.use = tls != fields.end() && tls->is_boolean() && tls->get<bool>() ? TlsUse::required : TlsUse::off;
        },
    .ca_field = "ca_file",
};

}  // namespace preflight
