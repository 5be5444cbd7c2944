#include "mariadb_server.h"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "as_user.h"

namespace preflight::testing {
namespace {

constexpr const char* kInstallDb = "/usr/bin/mariadb-install-db";
constexpr const char* kMariadbd = "/usr/sbin/mariadbd";
constexpr const char* kClient = "/usr/bin/mariadb";

// As root, mariadbd runs as the `mysql` user, which must own its files:
// mariadb-install-db's bootstrap server drops to it with --user (it is
// waited for); the server itself is started through as_user.
std::vector<std::string> server_user_args() {
  if (geteuid() != 0) return {};
  return {"--user=mysql"};
}

void give_to_mysql(const std::string& path) {
  if (geteuid() != 0) return;
  passwd pw{};
  passwd* found = nullptr;
  char buffer[4096];
  if (getpwnam_r("mysql", &pw, buffer, sizeof buffer, &found) == 0 && found) chown(path.c_str(), pw.pw_uid, pw.pw_gid);
}

}  // namespace

MariadbServer::MariadbServer(const MariadbOptions& options) {
  if (access(kInstallDb, X_OK) != 0 || access(kMariadbd, X_OK) != 0) {
    unavailable_ = "mariadb-server is not installed";
    return;
  }
  dir_ = std::make_unique<TempDir>();
  const std::string run_dir = dir_->path() + "/cloudsql/proj:region:mysql";
  std::filesystem::create_directories(run_dir);
  for (const auto& p : {dir_->path(), dir_->path() + "/cloudsql", run_dir}) give_to_mysql(p);
  const std::string data = dir_->path() + "/data";
  socket_ = run_dir + "/mysqld.sock";
  std::vector<std::string> install = {kInstallDb, "--no-defaults", "--datadir=" + data, "--auth-root-authentication-method=normal",
                                      "--skip-test-db"};
  for (auto& a : server_user_args()) install.push_back(a);
  // Twice at most: it failed once in a full parallel run (the suite's other
  // servers starting beside it on 2 cores), and every MariaDB test then
  // skipped or failed; a second try on a fresh directory passed.
  auto installed = run(install, {}, std::chrono::seconds(120));
  if (installed.exit_code != 0) {
    std::filesystem::remove_all(data);
    installed = run(install, {}, std::chrono::seconds(120));
  }
  if (installed.exit_code != 0) {
    unavailable_ = "mariadb-install-db failed: " + installed.out + installed.err;
    return;
  }
  port_ = free_port();
  std::vector<std::string> argv = {kMariadbd, "--no-defaults", "--datadir=" + data, "--socket=" + socket_,
                                   "--port=" + std::to_string(port_), "--bind-address=127.0.0.1", "--skip-name-resolve",
                                   "--max-connections=20", "--innodb-buffer-pool-size=16M", "--skip-log-bin",
                                   "--pid-file=" + dir_->path() + "/mariadbd.pid"};
  if (!options.tls_cert.empty()) {
    std::string cert = dir_->write("server.crt", read_text_file(options.tls_cert));
    std::string key = dir_->write("server.key", read_text_file(options.tls_key));
    give_to_mysql(cert);
    give_to_mysql(key);
    argv.push_back("--ssl-cert=" + cert);
    argv.push_back("--ssl-key=" + key);
  }
  process_ = std::make_unique<Process>(as_user("mysql", "mysql", argv));  // not its own --user: see as_user
  const std::string setup = fmt::format(
      "CREATE USER '{0}'@'%' IDENTIFIED BY '{2}'; CREATE DATABASE {3}; GRANT ALL ON {3}.* TO '{0}'@'%';"
      "CREATE USER '{1}'@'%' IDENTIFIED BY '{2}'; GRANT ALL ON *.* TO '{1}'@'%';",
      kUser, kAdmin, kPassword, kDatabase);
  // At most 30 s: InnoDB's start took over 10 s once, under TSan beside
  // other servers starting on a 2-core machine (the suite then skipped).
  for (int i = 0; i < 3000; ++i) {
    if (access(socket_.c_str(), F_OK) == 0 &&
        run({kClient, "--no-defaults", "-S", socket_, "-uroot", "-e", setup}, {}, std::chrono::seconds(10)).exit_code == 0) {
      return;
    }
    if (process_->exited()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto r = process_->wait(std::chrono::seconds(1));
  unavailable_ = "mariadbd did not start: " + r.out + r.err;
  process_.reset();
}

MariadbServer::~MariadbServer() {
  if (!process_) return;
  process_->signal(SIGTERM);
  process_->wait(std::chrono::seconds(15));
}

}  // namespace preflight::testing
