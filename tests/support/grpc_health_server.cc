// A gRPC server from the official C++ library (Debian's libgrpc++), with
// the library's own health service, for the grpc check's tests:
//
//   grpc_health_server PORT [--no-health] [--tls CERT KEY] [--token T]
//
// Health: "" and "well" are SERVING, "sick" is NOT_SERVING, anything else is
// unknown (NOT_FOUND). --no-health leaves the health service out: every call
// is UNIMPLEMENTED. --token (with --tls) makes every call carry
// "authorization: Bearer T", else UNAUTHENTICATED quoting what came. Prints "ready" once it
// listens; runs until killed.
#include <grpcpp/generic/async_generic_service.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/auth_metadata_processor.h>
#include <grpcpp/support/server_callback.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Keeps the server from refusing to start with no service of its own.
class Unimplemented : public grpc::CallbackGenericService {
  grpc::ServerGenericBidiReactor* CreateReactor(grpc::GenericCallbackServerContext*) override {
    struct Reactor : grpc::ServerGenericBidiReactor {
      Reactor() { Finish(grpc::Status(grpc::StatusCode::UNIMPLEMENTED, "")); }
      void OnDone() override { delete this; }
    };
    return new Reactor;
  }
};

class BearerToken : public grpc::AuthMetadataProcessor {
 public:
  explicit BearerToken(std::string token) : expected_("Bearer " + std::move(token)) {}
  bool IsBlocking() const override { return false; }
  grpc::Status Process(const InputMetadata& metadata, grpc::AuthContext*, OutputMetadata*, OutputMetadata*) override {
    auto it = metadata.find("authorization");
    if (it != metadata.end() && std::string(it->second.data(), it->second.size()) == expected_) return grpc::Status::OK;
    // Quotes what it was sent, as careless servers do: the client must not
    // show it, percent-encoded or not.
    std::string sent = it == metadata.end() ? "nothing" : std::string(it->second.data(), it->second.size());
    return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "rejected authorization: " + sent);
  }

 private:
  std::string expected_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: grpc_health_server PORT [--no-health] [--tls CERT KEY] [--token T] [--unix PATH]\n";
    return 2;
  }
  bool health = true;
  std::string cert, key, token, unix_path;
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--no-health") health = false;
    else if (a == "--tls" && i + 2 < argc) cert = argv[++i], key = argv[++i];
    else if (a == "--token" && i + 1 < argc) token = argv[++i];
    else if (a == "--unix" && i + 1 < argc) unix_path = argv[++i];  // also listens there
    else {
      std::cerr << "unknown argument " << a << "\n";
      return 2;
    }
  }
  grpc::EnableDefaultHealthCheckService(health);
  std::shared_ptr<grpc::ServerCredentials> credentials = grpc::InsecureServerCredentials();
  if (!cert.empty()) {
    grpc::SslServerCredentialsOptions options;
    options.pem_key_cert_pairs.push_back({read_file(key), read_file(cert)});
    credentials = grpc::SslServerCredentials(options);
    if (!token.empty()) credentials->SetAuthMetadataProcessor(std::make_shared<BearerToken>(token));
  }
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:" + std::string(argv[1]), credentials);
  if (!unix_path.empty()) builder.AddListeningPort("unix:" + unix_path, credentials);
  Unimplemented unimplemented;
  builder.RegisterCallbackGenericService(&unimplemented);
  auto server = builder.BuildAndStart();
  if (!server) {
    std::cerr << "the server did not start\n";
    return 1;
  }
  if (health) {
    server->GetHealthCheckService()->SetServingStatus("well", true);
    server->GetHealthCheckService()->SetServingStatus("sick", false);
  }
  std::cout << "ready" << std::endl;
  server->Wait();
}
