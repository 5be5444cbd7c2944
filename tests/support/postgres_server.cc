#include "postgres_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/file.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <optional>
#include <utility>
#include <thread>

#include "as_user.h"

namespace preflight::testing {
namespace {

std::string find_bin_dir() {
  for (int v : {17, 16, 15, 14, 13}) {
    std::string dir = "/usr/lib/postgresql/" + std::to_string(v) + "/bin";
    if (std::filesystem::exists(dir + "/initdb")) return dir;
  }
  return {};
}

// As root, PostgreSQL refuses to run.
std::vector<std::string> as_server_user(std::vector<std::string> argv) {
  return as_user("postgres", "postgres", std::move(argv));
}

// The postgres user's ids, read with getpwnam_r: test servers start on
// several threads at once, and getpwnam's buffer is shared.
std::optional<std::pair<uid_t, gid_t>> server_user_ids() {
  passwd pw{};
  passwd* found = nullptr;
  char buffer[4096];
  if (getpwnam_r("postgres", &pw, buffer, sizeof buffer, &found) != 0 || !found) return std::nullopt;
  return std::pair{pw.pw_uid, pw.pw_gid};
}

// As root, the files the server reads must be its user's.
void give_to_server_user(const std::string& path) {
  if (geteuid() != 0) return;
  if (auto ids = server_user_ids()) chown(path.c_str(), ids->first, ids->second);
}

// initdb once per PostgreSQL version and local authentication, then a copy
// for each server: initdb takes ~0.9 s here and a copy ~0.2 s, and a run of
// the suite starts dozens of servers (one per test process). The template
// is built under a lock, so parallel test processes share one.
std::string make_cluster(const std::string& bin_dir, const std::string& data, const std::string& pwfile,
                         const std::string& local_auth) {
  const std::string base = (std::filesystem::temp_directory_path() /
                            ("preflight-pg-template-" + std::to_string(geteuid()) + "-" +
                             std::to_string(std::hash<std::string>{}(bin_dir + "|" + local_auth))))
                               .string();
  int lock = open((base + ".lock").c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
  if (lock < 0 || flock(lock, LOCK_EX) != 0) {
    if (lock >= 0) close(lock);
    return "cannot lock the cluster template " + base;
  }
  std::string error;
  if (!std::filesystem::exists(base + "/PG_VERSION")) {
    std::filesystem::remove_all(base);
    auto init = run(as_server_user({bin_dir + "/initdb", "-D", base, "-U", "postgres", "--pwfile", pwfile,
                                    "--auth-host=scram-sha-256", "--auth-local=" + local_auth, "-E", "UTF8", "--no-sync"}),
                    {}, std::chrono::seconds(120));
    if (init.exit_code != 0) error = "initdb failed: " + init.out + init.err;
  }
  if (error.empty()) {
    auto copy = run({"/bin/cp", "-a", base, data}, {}, std::chrono::seconds(60));
    if (copy.exit_code != 0) error = "copying the cluster template failed: " + copy.err;
  }
  flock(lock, LOCK_UN);
  close(lock);
  return error;
}

}  // namespace

PostgresServer::PostgresServer(const PostgresOptions& options) {
  bin_dir_ = find_bin_dir();
  if (bin_dir_.empty()) {
    unavailable_ = "no /usr/lib/postgresql/*/bin/initdb";
    return;
  }
  dir_ = std::make_unique<TempDir>();
  if (geteuid() == 0 && !server_user_ids()) {
    unavailable_ = "running as root and there is no postgres user";
    return;
  }
  give_to_server_user(dir_->path());
  std::string pwfile = dir_->write("pwfile", std::string(kPassword) + "\n");
  give_to_server_user(pwfile);
  std::string data = dir_->path() + "/data";
  const bool socket_only = !options.socket_only_subdir.empty();
  socket_dir_ = dir_->path();
  if (socket_only) {
    socket_dir_ += "/" + options.socket_only_subdir;
    std::filesystem::create_directories(socket_dir_);
    give_to_server_user(socket_dir_);
  }
  if (auto error = make_cluster(bin_dir_, data, pwfile, socket_only ? "scram-sha-256" : "trust"); !error.empty()) {
    unavailable_ = error;
    return;
  }
  port_ = free_port();
  std::vector<std::string> argv = {bin_dir_ + "/postgres", "-D", data, "-p", std::to_string(port_), "-c",
                                   socket_only ? "listen_addresses=" : "listen_addresses=127.0.0.1", "-c",
                                   "unix_socket_directories=" + socket_dir_, "-c",
                                   "fsync=off", "-c", "max_connections=" + std::to_string(options.max_connections)};
  if (!options.tls_cert.empty()) {
    // The server insists that its key is private to its own user.
    std::string cert = dir_->write("server.crt", read_text_file(options.tls_cert));
    std::string key = dir_->write("server.key", read_text_file(options.tls_key));
    chmod(key.c_str(), 0600);
    give_to_server_user(cert);
    give_to_server_user(key);
    argv.insert(argv.end(), {"-c", "ssl=on", "-c", "ssl_cert_file=" + cert, "-c", "ssl_key_file=" + key});
    if (!options.client_ca.empty()) {
      std::string ca = dir_->write("client-ca.crt", read_text_file(options.client_ca));
      std::string hba = dir_->write("pg_hba.conf",
                                    "local all all trust\n"
                                    "hostssl all all 127.0.0.1/32 scram-sha-256 clientcert=verify-ca\n"
                                    "hostssl all all ::1/128 scram-sha-256 clientcert=verify-ca\n");
      give_to_server_user(ca);
      give_to_server_user(hba);
      argv.insert(argv.end(), {"-c", "ssl_ca_file=" + ca, "-c", "hba_file=" + hba});
    }
  }
  process_ = std::make_unique<Process>(as_server_user(argv));
  // Accepting TCP is not ready: a starting server answers "starting up".
  for (int i = 0; i < 1000; ++i) {  // at most 10 s
    if ((socket_only || port_accepts(port_)) &&
        run({bin_dir_ + "/pg_isready", "-q", "-h", socket_only ? socket_dir_ : "127.0.0.1", "-p", std::to_string(port_)},
            {}, std::chrono::seconds(5))
                .exit_code == 0) {
      return;
    }
    if (process_->exited()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto r = process_->wait(std::chrono::seconds(1));
  unavailable_ = "postgres did not start: " + r.err;
  process_.reset();
}

PostgresServer::~PostgresServer() {
  if (process_) {
    process_->signal(SIGINT);  // fast shutdown
    process_->wait(std::chrono::seconds(10));
  }
}

}  // namespace preflight::testing
