// What exec would find out only after the checks passed, said before they
// run: the command is not on PATH, not executable, built for another
// machine (an arm64 image on amd64: "exec format error"), or names an
// interpreter or dynamic loader the image does not have ("no such file or
// directory" for a file that exists).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/problem.h"

namespace preflight {

// The ELF facts that decide whether this machine can run a file.
struct ElfFacts {
  int machine = 0;          // e_machine
  std::string interpreter;  // PT_INTERP, the dynamic loader; "" when static
};

// Reads an ELF file's head (its first bytes, enough to hold the program
// headers and the interpreter's path); nullopt when it is not an ELF file.
std::optional<ElfFacts> read_elf(std::string_view head);

// "x86-64 (amd64)", "AArch64 (arm64)"...; "machine 4242" otherwise.
std::string machine_name(int machine);

// `command` as execvp would look it up on `path`; nullopt when it can run.
// The problem's kind is command_not_found (exit 127) or command_cannot_run
// (126), with a hint.
std::optional<Problem> check_command(const std::string& command, const std::string& path);

}  // namespace preflight
