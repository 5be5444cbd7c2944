// Secrets that a client library reads by itself: libpq's password file and
// service file. preflight never sees them pass, yet a server may quote what
// it was sent. An adversarial PostgreSQL (tests/support's
// postgres_password_echo) asks for the password in clear, as a server
// configured with "password" authentication does, and fails the login
// quoting it, as written or transformed: no output shows it.
#include <sys/stat.h>

#include <mutex>

#include <gtest/gtest.h>

#include "binary_harness.h"
#include "fixture_server.h"
#include "process.h"

namespace preflight::testing {
namespace {

struct Echo {
  std::string name;
  std::function<std::string(const std::string&)> transform;
};

// The words of PostgreSQL's own failed login, then the password as an
// adversarial server or proxy quotes it.
std::vector<Echo> echoes() {
  const std::string failed = "password authentication failed for user \"app\": ";
  return {
      {"as sent", [=](const std::string& p) { return failed + "\"" + p + "\" is not valid"; }},
      {"upper-case", [=](const std::string& p) {
         std::string u = p;
         for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
         return failed + u;
       }},
      {"base64", [=](const std::string& p) { return failed + "token " + base64_encode(p); }},
  };
}

std::string private_file(const TempDir& dir, const std::string& name, const std::string& content) {
  std::string path = dir.write(name, content);
  chmod(path.c_str(), 0600);  // libpq ignores a password file others can read
  return path;
}

void expect_silent(const std::string& where, const std::string& text) {
  expect_no_canary(where, text);
  std::string upper = kCanary;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(text.find(upper), std::string::npos) << where << ":\n" << text;
}

void run_all_outputs(const std::string& where, const std::string& url, const std::map<std::string, std::string>& env) {
  TempDir dir;
  auto config = dir.write("c.json", fmt::format(R"({{"phases":[{{"name":"db","timeout":"2s","checks":[
      {{"name":"pg","type":"postgres","url":"{}"}}]}}]}})", url));
  for (const auto& output : {std::vector<std::string>{}, std::vector<std::string>{"-o", "json"}, std::vector<std::string>{"-vv"},
                             std::vector<std::string>{"-o", "junit"}}) {
    std::vector<std::string> args = cmd({"-c", config, "--once"});
    args.insert(args.end(), output.begin(), output.end());
    auto r = run_clean(args, env);
    EXPECT_EQ(r.exit_code, 3) << where << "\n" << r.out << r.err;
    expect_silent(where + " (stdout)", r.out);
    expect_silent(where + " (stderr)", r.err);
  }
}

TEST(LibrarySecrets, APasswordFromThePasswordFileIsNeverShown) {
  for (const Echo& echo : echoes()) {
    SCOPED_TRACE(echo.name);
    FixtureServer server(Behaviour::postgres_password_echo, {.postgres_password_echo = echo.transform});
    TempDir dir;
    // A password with an escaped ':' and '\\', as pgpass writes them.
    auto passfile = private_file(dir, "pgpass", "# comment\n*:*:*:app:" + std::string(kCanary) + "\n");
    const std::string url = fmt::format("postgresql://app@127.0.0.1:{}/app?sslmode=disable", server.port());
    run_all_outputs("PGPASSFILE, " + echo.name, url, {{"PGPASSFILE", passfile}});
    run_all_outputs("passfile=, " + echo.name, url + "&passfile=" + passfile, {});
    // ~/.pgpass, found through HOME.
    private_file(dir, ".pgpass", "127.0.0.1:*:app:app:" + std::string(kCanary) + "\n");
    run_all_outputs("~/.pgpass, " + echo.name, url, {{"HOME", dir.path()}});
  }
}

TEST(LibrarySecrets, APasswordFromTheServiceFileIsNeverShown) {
  std::mutex lock;  // the fixture answers on its own thread
  int quoted = 0;
  FixtureServer server(Behaviour::postgres_password_echo, {.postgres_password_echo = [&](const std::string& p) {
                         std::lock_guard<std::mutex> hold(lock);
                         quoted += p == kCanary;
                         return echoes().front().transform(p);
                       }});
  TempDir dir;
  auto services = private_file(dir, "pg_service.conf",
                               fmt::format("[orders]\nhost=127.0.0.1\nport={}\nuser=app\ndbname=app\nsslmode=disable\npassword={}\n",
                                           server.port(), kCanary));
  run_all_outputs("service file", "service=orders", {{"PGSERVICEFILE", services}});
  std::lock_guard<std::mutex> hold(lock);
  EXPECT_EQ(quoted, 4) << "libpq did not send the service file's password each time";
}

// The server did see the password: libpq read the file (else the fixture
// would have nothing to quote, and the tests above could not fail).
TEST(LibrarySecrets, TheFixtureReallyReceivesThePasswordFromTheFile) {
  std::mutex lock;  // the fixture answers on its own thread
  std::string received;
  FixtureServer server(Behaviour::postgres_password_echo, {.postgres_password_echo = [&](const std::string& p) {
                         std::lock_guard<std::mutex> hold(lock);
                         received = p;
                         return std::string("rejected");
                       }});
  TempDir dir;
  auto passfile = private_file(dir, "pgpass", "*:*:*:app:pa\\:ss\\\\word-7\n");
  auto r = run_clean(cmd({"--once", "--set", fmt::format("DATABASE_URL=postgresql://app@127.0.0.1:{}/app?sslmode=disable", server.port())}),
                     {{"PGPASSFILE", passfile}});
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  std::lock_guard<std::mutex> hold(lock);
  EXPECT_EQ(received, "pa:ss\\word-7");
}

}  // namespace
}  // namespace preflight::testing
