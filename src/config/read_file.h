// Reading small text files (configs, dotenv, secrets) with a size cap.
#pragma once

#include <cstddef>
#include <string>

#include "base/problem.h"
#include "base/result.h"

namespace preflight {

inline constexpr size_t kMaxInputFileBytes = 1 << 20;

// Reads a regular file (symlinks followed) of at most max_bytes. Refuses
// directories, FIFOs and devices (reading one could block forever). The
// problem's message is a sentence naming the path, its origin the path.
Result<std::string, Problem> read_file_capped(const std::string& path,
                                                  size_t max_bytes = kMaxInputFileBytes);

// A secret file's value: its content without one trailing line end.
std::string strip_one_newline(std::string s);

}  // namespace preflight
