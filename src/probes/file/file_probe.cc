// A file: a mounted secret, a socket, a marker an init container writes.
// Ready when it exists as the kind asked for, this user can read it, and
// what the check expects of its size, age, mode and content holds. Its
// content is never quoted: a mounted secret's bytes are the secret.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/duration.h"
#include "probes/probe_types.h"

namespace preflight {
namespace {

using json = nlohmann::json;

// What "contains" reads of a file, at most: a marker or a config file.
constexpr size_t kMaxContentRead = 1 << 20;

enum class Kind { any, file, dir, socket };

struct FileSpec {
  std::string path;
  Kind kind = Kind::any;
  bool non_empty = false;
  std::optional<Millis> max_age;
  std::optional<unsigned> mode;  // permission bits, exactly
  std::optional<std::string> contains;
};

std::string_view kind_name(Kind k) {
  switch (k) {
    case Kind::file: return "a regular file";
    case Kind::dir: return "a directory";
    case Kind::socket: return "a socket";
    case Kind::any: break;
  }
  return "anything";
}

std::string_view kind_of(mode_t mode) {
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISFIFO(mode)) return "a named pipe";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "a device";
}

bool is_kind(mode_t mode, Kind k) {
  switch (k) {
    case Kind::file: return S_ISREG(mode);
    case Kind::dir: return S_ISDIR(mode);
    case Kind::socket: return S_ISSOCK(mode);
    case Kind::any: break;
  }
  return true;
}

Unexpected<Failure> missing(std::string message, std::string code) {
  Failure f{FailureKind::unhealthy, std::move(message)};
  f.code = std::move(code);
  return Unexpected<Failure>{std::move(f)};
}

class FileProbe final : public Probe {
 public:
  explicit FileProbe(FileSpec spec) : spec_(std::move(spec)) {}

  Status attempt(Deadline, const CancelToken&) const override {
    const std::string& path = spec_.path;
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) return not_there(errno);
    if (!is_kind(st.st_mode, spec_.kind)) {
      return missing(fmt::format("{} is {}, not {}", path, kind_of(st.st_mode), kind_name(spec_.kind)), "kind");
    }
    if (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) {
      if (access(path.c_str(), S_ISDIR(st.st_mode) ? R_OK | X_OK : R_OK) != 0) {
        return missing(fmt::format("{} is {} that this user (uid {}) cannot read: {} (mode {:04o}, owner uid {})", path,
                                   kind_of(st.st_mode), geteuid(), std::strerror(errno), st.st_mode & 07777, st.st_uid),
                       "EACCES");
      }
    } else if (S_ISSOCK(st.st_mode) && access(path.c_str(), W_OK) != 0) {
      return missing(fmt::format("{} is a socket this user (uid {}) cannot connect to: {} (mode {:04o}, owner uid {})",
                                 path, geteuid(), std::strerror(errno), st.st_mode & 07777, st.st_uid),
                     "EACCES");
    }
    if (spec_.mode && (st.st_mode & 07777) != *spec_.mode) {
      return missing(fmt::format("{} has mode {:04o}, expected {:04o}", path, st.st_mode & 07777, *spec_.mode), "mode");
    }
    if (spec_.non_empty) {
      if (auto empty = is_empty(st)) return missing(*empty, "empty");
    }
    if (spec_.max_age) {
      const auto modified = std::chrono::system_clock::from_time_t(st.st_mtim.tv_sec);
      const auto age = std::chrono::duration_cast<Millis>(std::chrono::system_clock::now() - modified);
      if (age > *spec_.max_age) {
        return missing(fmt::format("{} was last modified {} ago, more than max_age ({})", path, format_seconds(age),
                                   format_seconds(*spec_.max_age)),
                       "age");
      }
    }
    if (spec_.contains) {
      if (!S_ISREG(st.st_mode)) return missing(fmt::format("{} is {}: only a regular file's content is read", path, kind_of(st.st_mode)), "kind");
      auto content = read_head(path);
      if (!content) return not_there(errno);
      if (content->find(*spec_.contains) == std::string::npos) {
        return missing(fmt::format("{} does not contain \"{}\" (its content is not shown: it may be a secret; {} bytes{})",
                                   path, *spec_.contains, content->size(),
                                   content->size() == kMaxContentRead ? " read, the first MiB" : ""),
                       "contains");
      }
    }
    return {};
  }

 private:
  // Why stat failed, with the nearest directory that does exist: a volume
  // not mounted reads differently from a file not written yet.
  Status not_there(int error) const {
    if (error != ENOENT && error != ENOTDIR) {
      return missing(fmt::format("{} cannot be read: {}", spec_.path, std::strerror(error)), error == EACCES ? "EACCES" : "stat");
    }
    std::filesystem::path p(spec_.path);
    std::error_code ec;
    for (std::filesystem::path dir = p.parent_path(); !dir.empty(); dir = dir.parent_path()) {
      if (std::filesystem::is_directory(dir, ec)) {
        return missing(dir == p.parent_path()
                           ? fmt::format("{} does not exist (the directory {} does, without it)", spec_.path, dir.string())
                           : fmt::format("{} does not exist, nor does {} (the nearest directory that exists is {})",
                                         spec_.path, p.parent_path().string(), dir.string()),
                       "ENOENT");
      }
      if (dir == dir.parent_path()) break;  // "/" itself is not there: a chroot without a root
    }
    return missing(fmt::format("{} does not exist", spec_.path), "ENOENT");
  }

  std::optional<std::string> is_empty(const struct stat& st) const {
    if (S_ISDIR(st.st_mode)) {
      std::error_code ec;
      if (std::filesystem::directory_iterator(spec_.path, ec) == std::filesystem::directory_iterator()) {
        return fmt::format("{} is an empty directory", spec_.path);
      }
      return std::nullopt;
    }
    if (S_ISREG(st.st_mode) && st.st_size == 0) return fmt::format("{} is empty (0 bytes)", spec_.path);
    return std::nullopt;
  }

  static std::optional<std::string> read_head(const std::string& path) {
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return std::nullopt;
    std::string out(kMaxContentRead, '\0');
    size_t got = 0;
    for (int guard = 0; guard < 1024 && got < out.size(); ++guard) {
      ssize_t n = read(fd, out.data() + got, out.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += static_cast<size_t>(n);
    }
    close(fd);
    out.resize(got);
    return out;
  }

  FileSpec spec_;
};

std::optional<std::string> check_file_shape(const json& fields) {
  auto path = fields.find("path");
  if (path == fields.end() || !path->is_string() || path->get_ref<const std::string&>().empty()) {
    return "path: expected the file's path, a non-empty string";
  }
  auto expect = fields.find("expect");
  if (expect == fields.end()) return std::nullopt;
  for (const auto& [key, value] : expect->items()) {
    if (key == "kind") {
      if (!value.is_string() || (value != "file" && value != "dir" && value != "socket")) {
        return fmt::format("expect/kind: expected \"file\", \"dir\" or \"socket\", got {}", value.dump());
      }
    } else if (key == "non_empty") {
      if (!value.is_boolean()) return "expect/non_empty: expected true or false";
    } else if (key == "max_age") {
      const auto age = value.is_string() ? parse_duration(value.get<std::string>()) : std::nullopt;
      if (!age || *age <= Millis(0)) {
        return fmt::format("expect/max_age: expected a duration such as \"10m\", got {}", value.dump());
      }
    } else if (key == "mode") {
      const std::string text = value.is_string() ? value.get<std::string>() : "";
      if (text.empty() || text.size() > 4 || text.find_first_not_of("01234567") != std::string::npos) {
        return fmt::format("expect/mode: expected octal permission bits written as a string such as \"0600\", got {}",
                           value.dump());
      }
    } else if (key == "contains") {
      if (!value.is_string() || value.get_ref<const std::string&>().empty()) return "expect/contains: expected a non-empty string";
    } else {
      return fmt::format("expect/{}: unknown key (allowed: kind, non_empty, max_age, mode, contains)", key);
    }
  }
  return std::nullopt;
}

Result<std::unique_ptr<Probe>> make_file_probe(const ProbeInput& in) {
  // Checked again once interpolated: a ${...} may have made the path empty.
  if (auto problem = check_file_shape(in.fields)) return fail(FailureKind::invalid_config, *problem);
  FileSpec spec;
  spec.path = in.fields["path"].get<std::string>();
  if (auto expect = in.fields.find("expect"); expect != in.fields.end()) {
    const std::string kind = expect->value("kind", "");
    spec.kind = kind == "file" ? Kind::file : kind == "dir" ? Kind::dir : kind == "socket" ? Kind::socket : Kind::any;
    spec.non_empty = expect->value("non_empty", false);
    if (expect->contains("max_age")) spec.max_age = parse_duration((*expect)["max_age"].get<std::string>());
    if (expect->contains("mode")) spec.mode = static_cast<unsigned>(std::stoul((*expect)["mode"].get<std::string>(), nullptr, 8));
    if (expect->contains("contains")) spec.contains = (*expect)["contains"].get<std::string>();
  }
  return std::unique_ptr<Probe>(std::make_unique<FileProbe>(std::move(spec)));
}

std::string file_hint(const Failure& f, const HintContext& c) {
  const std::string path = c.fields->value("path", "");
  const std::string from = c.named_source(path);
  if (f.code == "ENOENT") {
    return fmt::format("the path{} is where the file is expected: is the volume or secret mounted there (Cloud Run: "
                       "--set-secrets /DIR/FILE=SECRET:VERSION), or has the init container that writes it run? "
                       "Retrying helps only if it is still on its way",
                       from);
  }
  if (f.code == "EACCES") {
    return "the application runs as this user too: give it read access (the secret volume's defaultMode, or chown "
           "in the image)";
  }
  if (f.code == "age") return "whatever writes it has stopped writing: check that writer, not this check";
  if (f.code == "mode") return "the mode is set where the file is made (a Kubernetes secret's defaultMode, chmod in the image)";
  if (f.code == "kind" || f.code == "empty" || f.code == "contains") {
    return fmt::format("the path{} names something else than the check expects: is it the right path?", from);
  }
  return "";
}

}  // namespace

extern const ProbeType kFileProbeType{
    .name = "file",
    .schemes = {},
    .fields = {{"path", FieldType::string}, {"expect", FieldType::object}},
    .make = make_file_probe,
    .check_shape = check_file_shape,
    .hint = file_hint,
    .shown = [](const nlohmann::json& fields) { return fields.value("path", std::string()); },
};

}  // namespace preflight
