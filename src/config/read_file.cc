#include "read_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

namespace preflight {
namespace {

Unexpected<Problem> error(const std::string& path, std::string_view what) {
  return Unexpected<Problem>{Problem{.message = fmt::format("{}: {}", path, what), .origin = path}};
}

}  // namespace

Result<std::string, Problem> read_file_capped(const std::string& path, size_t max_bytes) {
  // O_NONBLOCK so that opening a FIFO with no writer cannot block.
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return error(path, std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    int e = errno;
    close(fd);
    return error(path, std::strerror(e));
  }
  if (S_ISDIR(st.st_mode)) {
    close(fd);
    return error(path, "is a directory, not a file");
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    return error(path, "is not a regular file");
  }
  if (static_cast<size_t>(st.st_size) > max_bytes) {
    close(fd);
    return error(path, fmt::format("is {} bytes, over the {} byte limit", st.st_size, max_bytes));
  }
  std::string data;
  char buf[8192];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int e = errno;
      close(fd);
      return error(path, std::strerror(e));
    }
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > max_bytes) {  // the file grew while we read it
      close(fd);
      return error(path, fmt::format("is over the {} byte limit", max_bytes));
    }
  }
  close(fd);
  return data;
}

std::string strip_one_newline(std::string s) {
  if (s.ends_with("\r\n")) s.resize(s.size() - 2);
  else if (s.ends_with('\n')) s.pop_back();
  return s;
}

}  // namespace preflight
