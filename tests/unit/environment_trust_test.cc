// The rule of environment_trust.h as a matrix of protocols, targets and the
// variables set; and the union library_ca_file serves for an added CA.
#include "config/environment_trust.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "net/ca_bundle.h"

namespace preflight {
namespace {

VariableSet vars(std::initializer_list<std::pair<std::string, std::string>> kv) {
  VariableSet v;
  for (const auto& [k, val] : kv) v.define(k, Variable{val, "test", false, false, std::nullopt});
  return v;
}

Target target_of(std::string_view type, const std::string& url, const nlohmann::json& fields = nlohmann::json::object()) {
  auto t = read_target(*find_probe_type(type), url, fields);
  EXPECT_TRUE(t.ok()) << url;
  return *t;
}

std::string describe(const EnvironmentTrust& t) {
  std::string out = t.bundle_variable.empty() ? "-" : t.bundle_variable;
  for (const auto& a : t.added_variables) out += "+" + a;
  return out;
}

TEST(EnvironmentTrust, OneRuleForEveryProtocol) {
  const auto all = vars({{"SSL_CERT_FILE", "/a"}, {"SSL_CERT_DIR", "/d"}, {"NODE_EXTRA_CA_CERTS", "/n"}, {"PGSSLROOTCERT", "/p"},
                         {"REQUESTS_CA_BUNDLE", "/r"}, {"CURL_CA_BUNDLE", "/c"}, {"GRPC_DEFAULT_SSL_ROOTS_FILE_PATH", "/g"}});
  const auto generic = vars({{"SSL_CERT_FILE", "/a"}});
  const auto added_only = vars({{"NODE_EXTRA_CA_CERTS", "/n"}});
  const auto empty_value = vars({{"SSL_CERT_FILE", ""}, {"PGSSLROOTCERT", ""}});
  struct Row {
    std::string type, url;
    nlohmann::json fields;
    const VariableSet* vars;
    std::string expected;
  };
  const std::vector<Row> rows = {
      // The protocol's own variable, before SSL_CERT_FILE; the added ones after.
      {"postgres", "postgresql://h/db?sslmode=verify-full", {}, &all, "PGSSLROOTCERT+SSL_CERT_DIR+NODE_EXTRA_CA_CERTS"},
      {"postgres", "postgresql://h/db?sslmode=verify-ca", {}, &generic, "SSL_CERT_FILE"},
      {"http", "https://h/health", {}, &all, "REQUESTS_CA_BUNDLE+SSL_CERT_DIR+NODE_EXTRA_CA_CERTS"},
      {"grpc", "grpcs://h:50051", {}, &all, "GRPC_DEFAULT_SSL_ROOTS_FILE_PATH+SSL_CERT_DIR+NODE_EXTRA_CA_CERTS"},
      {"redis", "rediss://h:6379", {}, &all, "SSL_CERT_FILE+SSL_CERT_DIR+NODE_EXTRA_CA_CERTS"},
      {"mysql", "mysql://u@h/db?ssl_mode=VERIFY_IDENTITY", {}, &all, "SSL_CERT_FILE+SSL_CERT_DIR+NODE_EXTRA_CA_CERTS"},
      {"websocket", "wss://h/ws", {}, &generic, "SSL_CERT_FILE"},
      {"amqp", "amqps://u:p@h/", {}, &generic, "SSL_CERT_FILE"},
      {"nats", "tls://h:4222", {}, &generic, "SSL_CERT_FILE"},
      {"tcp", "tcp://h:443", {{"tls", true}}, &added_only, "-+NODE_EXTRA_CA_CERTS"},
      // No TLS, or TLS without verification: a CA changes nothing (and
      // would make libpq verify sslmode=require).
      {"tcp", "tcp://h:443", {}, &all, "-"},
      {"redis", "redis://h:6379", {}, &all, "-"},
      {"postgres", "postgresql://h/db?sslmode=require", {}, &all, "-"},
      {"postgres", "postgresql://h/db?sslmode=prefer", {}, &all, "-"},
      {"mysql", "mysql://u@h/db?ssl_mode=REQUIRED", {}, &all, "-"},
      {"http", "https://h/health", {{"insecure_skip_verify", true}}, &all, "-"},
      // The check's own CA: nothing else.
      {"postgres", "postgresql://h/db?sslmode=verify-full&sslrootcert=/own", {}, &all, "-"},
      {"redis", "rediss://h:6379", {{"ca_file", "/own"}}, &all, "-"},
      // A variable set to nothing is not set.
      {"postgres", "postgresql://h/db?sslmode=verify-full", {}, &empty_value, "-"},
  };
  for (const Row& row : rows) {
    const Target t = target_of(row.type, row.url, row.fields.is_null() ? nlohmann::json::object() : row.fields);
    EXPECT_EQ(describe(environment_trust(*find_probe_type(row.type), t, *row.vars)), row.expected) << row.type << " " << row.url;
  }
}

std::string write_file(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
  return path;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(LibraryCaFile, NothingAddedIsTheFileItself) {
  EXPECT_EQ(*net::library_ca_file("/etc/own-ca.pem", {}), "/etc/own-ca.pem");
  EXPECT_EQ(*net::library_ca_file("", {}), "");
}

TEST(LibraryCaFile, AnAdditionIsServedAsTheUnionOfTheFilesAndADirectorysHashedLinks) {
  char dir_template[] = "/tmp/ca-bundle-XXXXXX";
  const std::string dir = mkdtemp(dir_template);
  const std::string base = write_file(dir + "/base.pem", "BASE-CERTIFICATE\n");
  const std::string extra = write_file(dir + "/extra.pem", "EXTRA-CERTIFICATE\n");
  mkdir((dir + "/hashed").c_str(), 0700);
  write_file(dir + "/hashed/5ad8a5d6.0", "HASHED-CERTIFICATE\n");
  write_file(dir + "/hashed/5ad8a5d6.r0", "A-CRL-NOT-A-CA\n");
  write_file(dir + "/hashed/notes.txt", "NOT-A-CERTIFICATE\n");

  auto joined = net::library_ca_file(base, {extra, dir + "/hashed"});
  ASSERT_TRUE(joined.ok()) << joined.error().message;
  EXPECT_TRUE(joined->starts_with("/proc/self/fd/")) << *joined;
  const std::string text = read_all(*joined);
  EXPECT_NE(text.find("BASE-CERTIFICATE"), std::string::npos) << text;
  EXPECT_NE(text.find("EXTRA-CERTIFICATE"), std::string::npos) << text;
  EXPECT_NE(text.find("HASHED-CERTIFICATE"), std::string::npos) << text;
  EXPECT_EQ(text.find("A-CRL-NOT-A-CA"), std::string::npos) << text;
  EXPECT_EQ(text.find("NOT-A-CERTIFICATE"), std::string::npos) << text;
  EXPECT_LT(text.find("BASE"), text.find("EXTRA")) << "the bundle first, then what is added";
  // Built once per set of paths, not per connection.
  EXPECT_EQ(*net::library_ca_file(base, {extra, dir + "/hashed"}), *joined);

  auto missing = net::library_ca_file(base, {dir + "/absent.pem"});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, FailureKind::tls);
  EXPECT_EQ(missing.error().cause, Cause::ca_file_unreadable);
  EXPECT_NE(missing.error().message.find(dir + "/absent.pem"), std::string::npos) << missing.error().message;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace preflight
