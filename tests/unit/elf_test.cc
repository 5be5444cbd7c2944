// ELF headers read as the kernel reads them: the machine and the dynamic
// loader, in either byte order and class; anything else is not ELF.
#include <gtest/gtest.h>

#include "app/command_check.h"

namespace preflight {
namespace {

using namespace std::string_literals;

// A 64-bit little-endian ELF head with one PT_INTERP program header.
std::string elf64(uint16_t machine, const std::string& interpreter) {
  std::string h(64 + 56, '\0');
  h.replace(0, 4, "\x7f" "ELF");
  h[4] = 2;  // ELFCLASS64
  h[5] = 1;  // little-endian
  h[18] = static_cast<char>(machine & 0xff);
  h[19] = static_cast<char>(machine >> 8);
  h[32] = 64;  // e_phoff
  h[54] = 56;  // e_phentsize
  h[56] = 1;   // e_phnum
  h[64] = 3;   // p_type: PT_INTERP
  h[64 + 8] = static_cast<char>(h.size());  // p_offset: right after
  h[64 + 32] = static_cast<char>(interpreter.size() + 1);
  return h + interpreter + '\0';
}

TEST(Elf, MachineAndLoaderOfA64BitLittleEndianFile) {
  auto facts = read_elf(elf64(183, "/lib/ld-linux-aarch64.so.1"));
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->machine, 183);
  EXPECT_EQ(facts->interpreter, "/lib/ld-linux-aarch64.so.1");
  EXPECT_EQ(machine_name(facts->machine), "AArch64 (arm64)");
}

TEST(Elf, AStaticFileHasNoLoader) {
  std::string h = elf64(62, "");
  h[56] = 0;  // no program headers
  auto facts = read_elf(h);
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->interpreter, "");
}

TEST(Elf, A32BitBigEndianHeaderIsRead) {
  std::string h(52, '\0');
  h.replace(0, 4, "\x7f" "ELF");
  h[4] = 1;  // ELFCLASS32
  h[5] = 2;  // big-endian
  h[18] = 0;
  h[19] = 22;  // EM_S390
  auto facts = read_elf(h);
  ASSERT_TRUE(facts);
  EXPECT_EQ(machine_name(facts->machine), "IBM Z (s390x)");
}

TEST(Elf, OtherFilesAndHostileHeadersAreNotElfOrStopSafely) {
  EXPECT_FALSE(read_elf("#!/bin/sh\n"));
  EXPECT_FALSE(read_elf("\x7f" "ELF"s));
  std::string h = elf64(62, "/lib64/ld-linux-x86-64.so.2");
  h[64 + 32] = static_cast<char>(0xff);  // p_filesz past the end
  auto facts = read_elf(h);
  ASSERT_TRUE(facts);
  EXPECT_EQ(facts->interpreter, "");
  h = elf64(62, "x");
  h[32] = static_cast<char>(0xf0);  // e_phoff past the end
  EXPECT_TRUE(read_elf(h));
}

}  // namespace
}  // namespace preflight
