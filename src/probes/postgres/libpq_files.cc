#include "probes/postgres/libpq_files.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/text.h"

namespace preflight {
namespace {

// A password file is a few lines; a bigger one is not read whole.
constexpr std::streamsize kMaxFile = 1 << 20;

std::string read_small_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::string text(static_cast<size_t>(kMaxFile), '\0');
  in.read(text.data(), kMaxFile);
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// $HOME, and the passwd entry's directory, which libpq 15 uses. With
// getpwuid_r: plans are built on several threads at once (the fault
// matrix's TSan run found getpwuid's shared buffer).
std::vector<std::string> home_directories() {
  std::vector<std::string> out;
  if (auto home = env("HOME"); !home.empty()) out.push_back(home);
  passwd entry{};
  passwd* found = nullptr;
  std::vector<char> buffer(16384);
  if (getpwuid_r(geteuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found && found->pw_dir &&
      (out.empty() || out.front() != found->pw_dir)) {
    out.push_back(found->pw_dir);
  }
  return out;
}

std::string option(const Target& t, std::string_view key) {
  for (const auto& [k, v] : t.options) {
    if (k == key) return v;
  }
  return {};
}

}  // namespace

std::vector<std::string> pgpass_passwords(std::string_view text) {
  std::vector<std::string> out;
  for (std::string_view line : split(text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;
    // hostname:port:database:username:password, '\' escaping ':' and '\'.
    size_t field = 0, i = 0;
    for (; i < line.size() && field < 4; ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) ++i;
      else if (line[i] == ':') ++field;
    }
    if (field < 4) continue;
    std::string password;
    for (; i < line.size() && line[i] != ':'; ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) ++i;
      password += line[i];
    }
    if (!password.empty()) out.push_back(std::move(password));
  }
  return out;
}

std::vector<std::string> libpq_file_passwords(const Target& target) {
  std::vector<std::string> out;
  std::vector<std::string> passfiles;
  if (auto p = option(target, "passfile"); !p.empty()) {
    passfiles.push_back(p);
  } else if (auto e = env("PGPASSFILE"); !e.empty()) {
    passfiles.push_back(e);
  } else {
    for (const auto& home : home_directories()) passfiles.push_back(home + "/.pgpass");
  }
  for (const auto& path : passfiles) {
    for (auto& p : pgpass_passwords(read_small_file(path))) out.push_back(std::move(p));
  }
  return out;
}


std::optional<std::vector<std::pair<std::string, std::string>>> service_section(std::string_view text, std::string_view service) {
  std::optional<std::vector<std::pair<std::string, std::string>>> found;
  bool in_section = false;
  for (std::string_view raw : split(text, '\n')) {
    std::string line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    if (line.front() == '[') {
      if (found) break;  // the section ended
      in_section = line == fmt::format("[{}]", service);
      if (in_section) found.emplace();
      continue;
    }
    if (!in_section) continue;
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;  // libpq: a syntax error; the connection fails there
    found->emplace_back(line.substr(0, eq), line.substr(eq + 1));
  }
  return found;
}

Result<ServiceDefinition> find_service(const std::string& service) {
  std::vector<std::string> files;
  if (auto file = env("PGSERVICEFILE"); !file.empty()) {
    files.push_back(file);
  } else if (auto homes = home_directories(); !homes.empty()) {
    files.push_back(homes.front() + "/.pg_service.conf");
  }
  const std::string sysconf = env("PGSYSCONFDIR");
  files.push_back((sysconf.empty() ? std::string("/etc/postgresql-common") : sysconf) + "/pg_service.conf");
  for (const auto& file : files) {
    if (auto section = service_section(read_small_file(file), service)) return ServiceDefinition{file, std::move(*section)};
  }
  return fail(FailureKind::invalid_config,
              fmt::format("libpq finds no definition of service \"{}\" (read: {})", service, fmt::join(files, ", ")),
              "define it in the service file (PGSERVICEFILE or ~/.pg_service.conf), or write the host, port, user and "
              "database in the connection string");
}

}  // namespace preflight
