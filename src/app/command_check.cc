#include "command_check.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "base/program_path.h"

namespace preflight {
namespace {

// The NAME of "NAME=value" when NAME is a shell variable's name.
std::optional<std::string> assignment_name(std::string_view word) {
  const size_t eq = word.find('=');
  if (eq == 0 || eq == std::string_view::npos) return std::nullopt;
  const std::string_view name = word.substr(0, eq);
  if (std::isdigit(static_cast<unsigned char>(name.front()))) return std::nullopt;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return std::nullopt;
  }
  return std::string(name);
}

constexpr size_t kHeadBytes = 64 * 1024;
constexpr uint32_t kPtInterp = 3;
constexpr int kI386 = 3, kX86_64 = 62;

std::string read_head(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(kHeadBytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

// Little- or big-endian unsigned of `width` bytes at `at`; nullopt past the end.
std::optional<uint64_t> read_uint(std::string_view bytes, size_t at, size_t width, bool little) {
  if (at > bytes.size() || width > bytes.size() - at) return std::nullopt;
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) {
    auto b = static_cast<uint8_t>(bytes[at + (little ? width - 1 - i : i)]);
    v = v << 8 | b;
  }
  return v;
}

int own_machine() {
  static const int machine = [] {
    auto facts = read_elf(read_head("/proc/self/exe"));
    return facts ? facts->machine : 0;
  }();
  return machine;
}

// Why this machine cannot run the ELF file at `path`; nullopt when it can.
std::optional<Problem> elf_problem(const std::string& shown, const ElfFacts& elf) {
  const int ours = own_machine();
  const bool compatible = ours == 0 || elf.machine == ours || (ours == kX86_64 && elf.machine == kI386);
  if (!compatible) {
    return Problem{.kind = ProblemKind::command_cannot_run, .message = fmt::format("{} is built for {}, and this machine is {}: exec would fail with \"exec format error\"", shown,
                                      machine_name(elf.machine), machine_name(ours)),
                   .origin = shown,
                   .hint = "build the image for this platform (docker buildx build --platform linux/amd64 or linux/arm64), "
                          "or run it where its architecture matches"};
  }
  if (!elf.interpreter.empty() && access(elf.interpreter.c_str(), F_OK) != 0) {
    return Problem{.kind = ProblemKind::command_not_found, .message = fmt::format("{} needs the dynamic loader {}, which this image does not have: exec would fail with "
                                      "\"no such file or directory\"",
                                      shown, elf.interpreter),
                   .origin = shown,
                   .hint = elf.interpreter.find("musl") != std::string::npos
                              ? "it was linked against musl (Alpine): build it on this image's base, or link it statically"
                              : "it was linked for another C library or distribution: build it on this image's base, or link "
                                "it statically"};
  }
  return std::nullopt;
}

}  // namespace

std::optional<ElfFacts> read_elf(std::string_view head) {
  if (head.size() < 52 || head.substr(0, 4) != "\x7f" "ELF") return std::nullopt;
  const bool wide = head[4] == 2, little = head[5] == 1;
  if ((head[4] != 1 && !wide) || (head[5] != 1 && head[5] != 2)) return std::nullopt;
  ElfFacts facts;
  facts.machine = static_cast<int>(*read_uint(head, 18, 2, little));
  auto phoff = read_uint(head, wide ? 32 : 28, wide ? 8 : 4, little);
  auto phentsize = read_uint(head, wide ? 54 : 42, 2, little);
  auto phnum = read_uint(head, wide ? 56 : 44, 2, little);
  if (!phoff || !phentsize || !phnum) return facts;
  for (uint64_t i = 0; i < *phnum && i < 256; ++i) {
    const uint64_t at = *phoff + i * *phentsize;
    if (at > head.size()) break;
    auto type = read_uint(head, at, 4, little);
    if (!type || *type != kPtInterp) continue;
    auto offset = read_uint(head, at + (wide ? 8 : 4), wide ? 8 : 4, little);
    auto size = read_uint(head, at + (wide ? 32 : 16), wide ? 8 : 4, little);
    if (!offset || !size || *offset > head.size() || *size > head.size() - *offset) break;
    std::string_view interp = head.substr(*offset, *size);
    facts.interpreter = std::string(interp.substr(0, interp.find('\0')));
    break;
  }
  return facts;
}

std::string machine_name(int machine) {
  switch (machine) {
    case kI386: return "i386 (32-bit x86)";
    case 8: return "MIPS";
    case 20: return "PowerPC";
    case 21: return "PowerPC 64 (ppc64le)";
    case 22: return "IBM Z (s390x)";
    case 40: return "32-bit ARM (armhf)";
    case kX86_64: return "x86-64 (amd64)";
    case 183: return "AArch64 (arm64)";
    case 243: return "RISC-V (riscv64)";
    default: return fmt::format("machine {}", machine);
  }
}

std::optional<Problem> check_command(const std::string& command, const std::string& path) {
  auto found = find_on_path(command, path);
  struct stat st {};
  const bool exists = found && stat(found->c_str(), &st) == 0;
  // "NAME=value node server.js" is a shell's assignment; exec takes it as
  // the program's name. Its value is often a secret, and no redactor
  // knows it yet: only the name is said. (A file of that name runs.)
  if (auto name = exists ? std::nullopt : assignment_name(command)) {
    return Problem{.kind = ProblemKind::command_not_found,
                   .message = fmt::format("the command after -- starts with an assignment, {}=…: preflight runs the "
                                          "command without a shell, so it would be taken as the program's name",
                                          *name),
                   .origin = *name,
                   .hint = fmt::format("set {} in the container's environment (or an env file), or run "
                                       "-- env {}=… PROGRAM",
                                       *name, *name)};
  }
  if (!found) {
    return Problem{.kind = ProblemKind::command_not_found, .message = fmt::format("the command {} is not on PATH ({})", command, path.empty() ? "empty" : path),
                   .origin = command,
                   .hint = "install it in the image, or give its full path after --"};
  }
  if (!exists) {
    return Problem{.kind = ProblemKind::command_not_found, .message = fmt::format("the command {} does not exist", *found),
                   .origin = *found,
                   .hint = "check the path after --"};
  }
  if (!S_ISREG(st.st_mode) || access(found->c_str(), X_OK) != 0) {
    return Problem{.kind = ProblemKind::command_cannot_run, .message = fmt::format("the command {} is not an executable file", *found),
                   .origin = *found,
                   .hint = fmt::format("chmod +x {} (in the image's build: RUN chmod +x)", *found)};
  }
  const std::string head = read_head(*found);
  if (auto elf = read_elf(head)) return elf_problem(*found, *elf);
  if (head.starts_with("#!")) {
    // The interpreter: the first word after #! (execve's own rule).
    std::string line = head.substr(2, head.find('\n') - 2);
    size_t begin = line.find_first_not_of(" \t");
    if (begin == std::string::npos) return std::nullopt;
    // A CR is part of the name for the kernel: "#!/bin/sh\r" names "/bin/sh\r".
    std::string interpreter = line.substr(begin, line.find_first_of(" \t", begin) - begin);
    if (access(interpreter.c_str(), F_OK) != 0) {
      const bool crlf = interpreter.ends_with('\r');
      if (crlf) interpreter.pop_back();
      return Problem{.kind = ProblemKind::command_not_found, .message = fmt::format("{} starts with #!{}{}, which this image does not have: exec would fail with \"no such "
                                        "file or directory\"",
                                        *found, interpreter, crlf ? " followed by a CR (Windows line endings)" : ""),
                     .origin = *found,
                     .hint = crlf ? "convert the script to Unix line endings (dos2unix, or git's core.autocrlf=input)"
                                 : "install the interpreter in the image, or change the #! line"};
    }
    if (auto elf = read_elf(read_head(interpreter))) return elf_problem(interpreter, *elf);
  }
  return std::nullopt;
}

}  // namespace preflight
