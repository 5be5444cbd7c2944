// tests/corpus/end_to_end.tsv, run: each connection string against real
// servers configured as production configures them (SCRAM, a socket-only
// PostgreSQL in /cloudsql/P:R:I, TLS with a private CA, client certificates,
// Redis with a password, an ACL user, TLS and a Unix socket). The expected
// verdict is checked twice: the real client libraries must reach it (so the
// corpus says what the application would see), and so must preflight.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "binary_harness.h"
#include "certs.h"
#include "corpus_escapes.h"
#include "postgres_server.h"
#include "process.h"
#include "redis_server.h"
#include "refused_port.h"

namespace preflight::testing {
namespace {

constexpr const char* kRedisPassword = "canary-e2e-redis-4b7d";
constexpr const char* kAppPassword = "canary-e2e-acl-91ce";

struct Row {
  std::string id, check, clients, input, verdict;
};

std::vector<Row> rows() {
  std::ifstream in(std::string(PREFLIGHT_SOURCE_DIR) + "/tests/corpus/end_to_end.tsv");
  std::vector<Row> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    for (std::string col; std::getline(ss, col, '\t');) cols.push_back(col);
    EXPECT_EQ(cols.size(), 5u) << line;
    if (cols.size() == 5) out.push_back({cols[0], cols[1], cols[2], cols[3], cols[4]});
  }
  return out;
}

class EndToEndCorpus : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dead_port_ = new RefusedPort();
    dir_ = new TempDir();
    pki_ = new TestPki(make_test_pki(*dir_));
    // Three clusters: initdb in parallel.
    std::thread tcp([] { pg_ = new PostgresServer({.tls_cert = pki_->server_cert, .tls_key = pki_->server_key}); });
    std::thread socket([] { pg_socket_ = new PostgresServer({.socket_only_subdir = "cloudsql/proj:region:inst"}); });
    pg_cert_ = new PostgresServer({.tls_cert = pki_->server_cert, .tls_key = pki_->server_key, .client_ca = pki_->ca_cert});
    tcp.join();
    socket.join();
    redis_ = new RedisServer({.password = kRedisPassword,
                              .acl_users = {fmt::format("app on >{} ~* +@all", kAppPassword)},
                              .unix_socket = dir_->path() + "/redis.sock"});
    redis_tls_ = new RedisServer({.password = kRedisPassword, .tls_cert = pki_->server_cert,
                                  .tls_key = pki_->server_key, .tls_ca = pki_->ca_cert});
  }
  static void TearDownTestSuite() {
    delete redis_tls_;
    delete redis_;
    delete pg_cert_;
    delete pg_socket_;
    delete pg_;
    delete pki_;
    delete dir_;
    delete dead_port_;
  }
  void SetUp() override {
    for (const PostgresServer* s : {pg_, pg_socket_, pg_cert_}) {
      if (!s->unavailable_reason().empty()) GTEST_SKIP() << s->unavailable_reason();
    }
    if (redis_->unavailable()) GTEST_SKIP() << "redis-server is not installed";
  }

  static std::string substitute(std::string text) {
    const std::map<std::string, std::string> values = {
        {"{PG_PORT}", std::to_string(pg_->port())},
        {"{PG_SOCKET_DIR}", pg_socket_->socket_dir()},
        {"{PG_SOCKET_DIR_PCT}", percent_encode(pg_socket_->socket_dir())},
        {"{PG_SOCKET_PORT}", std::to_string(pg_socket_->port())},
        {"{PG_CERT_PORT}", std::to_string(pg_cert_->port())},
        {"{PG_PASSWORD}", PostgresServer::kPassword},
        {"{CA}", pki_->ca_cert},
        {"{OTHER_CA}", pki_->other_ca_cert},
        {"{CLIENT_CERT}", pki_->client_cert},
        {"{CLIENT_KEY}", pki_->client_key},
        {"{REDIS_PORT}", std::to_string(redis_->port())},
        {"{REDIS_PASSWORD}", kRedisPassword},
        {"{APP_PASSWORD}", kAppPassword},
        {"{REDIS_SOCKET}", dir_->path() + "/redis.sock"},
        {"{REDIS_TLS_PORT}", std::to_string(redis_tls_->port())},
        {"{DEAD_PORT}", std::to_string(dead_port_->port())},
    };
    for (const auto& [name, value] : values) text = replace_all(std::move(text), name, value);
    return text;
  }

  // What preflight decides: one attempt (a retryable failure fails too).
  // A TLS client stalls at a plain Redis port until the deadline, as
  // redis-py does until its timeout: both are 3 s.
  static ProcessResult preflight(const Row& row, const std::string& text) {
    nlohmann::json config = {{"phases", {{{"name", "p"}, {"timeout", "3s"},
                                          {"checks", {{{"name", "c"}, {"type", row.check}, {"url", text}}}}}}}};
    std::string path = dir_->write(row.id + ".json", config.dump());
    return run_clean(cmd({"-c", path, "--once"}));
  }

  static TempDir* dir_;
  static TestPki* pki_;
  static PostgresServer *pg_, *pg_socket_, *pg_cert_;
  static RedisServer *redis_, *redis_tls_;
  static RefusedPort* dead_port_;  // for the suite's life: refused to every row
};
TempDir* EndToEndCorpus::dir_ = nullptr;
TestPki* EndToEndCorpus::pki_ = nullptr;
PostgresServer* EndToEndCorpus::pg_ = nullptr;
PostgresServer* EndToEndCorpus::pg_socket_ = nullptr;
PostgresServer* EndToEndCorpus::pg_cert_ = nullptr;
RedisServer* EndToEndCorpus::redis_ = nullptr;
RedisServer* EndToEndCorpus::redis_tls_ = nullptr;
RefusedPort* EndToEndCorpus::dead_port_ = nullptr;

TEST_F(EndToEndCorpus, TheClientsAndPreflightReachTheVerdictOfEveryRow) {
  auto all = rows();
  ASSERT_GT(all.size(), 40u) << "the corpus did not load";

  // The real clients, in one Python process, while preflight runs.
  std::string requests;
  size_t client_runs = 0;
  for (const Row& row : all) {
    if (row.clients == "-") continue;
    std::stringstream ss(row.clients);
    for (std::string client; std::getline(ss, client, ',');) {
      requests += fmt::format("{}\t{}\t{}\n", row.id, client, substitute(row.input));
      ++client_runs;
    }
  }
  Process client_process({"/usr/bin/python3", std::string(PREFLIGHT_SOURCE_DIR) + "/tests/tools/client_connect.py",
                          dir_->write("requests.tsv", requests)});

  for (const Row& row : all) {
    std::string text = unescape_input(substitute(row.input));
    auto r = preflight(row, text);
    std::string verdict = r.exit_code == 0 ? "ok" : r.exit_code == 3 ? "fail" : fmt::format("exit {}", r.exit_code);
    EXPECT_EQ(verdict, row.verdict) << row.id << ": " << row.input << "\n" << r.out << r.err;
    std::string shown = r.out + r.err;
    for (const char* secret : {PostgresServer::kPassword, kRedisPassword, kAppPassword}) {
      EXPECT_EQ(shown.find(secret), std::string::npos) << row.id << " shows a password:\n" << shown;
    }
  }

  auto clients = client_process.wait(std::chrono::seconds(300));
  ASSERT_EQ(clients.exit_code, 0) << clients.err;
  size_t answered = 0;
  std::stringstream lines(clients.out);
  for (std::string line; std::getline(lines, line);) {
    std::vector<std::string> cols;
    std::stringstream ss(line);
    for (std::string col; std::getline(ss, col, '\t');) cols.push_back(col);
    ASSERT_GE(cols.size(), 3u) << line;
    ASSERT_NE(cols[2], "missing") << line << " (scripts/install-deps.sh installs every client)";
    ++answered;
    const Row& row = *std::find_if(all.begin(), all.end(), [&](const Row& r) { return r.id == cols[0]; });
    EXPECT_EQ(cols[2], row.verdict) << row.id << ": " << cols[1] << " says " << line.substr(cols[0].size() + 1)
                                    << "\n  " << row.input;
  }
  EXPECT_EQ(answered, client_runs) << clients.out << clients.err;

  std::cout << fmt::format("end-to-end corpus: {} rows run by preflight, {} runs of real clients, against {} servers\n",
                           all.size(), client_runs, 5);
}

}  // namespace
}  // namespace preflight::testing
