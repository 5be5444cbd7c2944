# Cross-compiling for arm64 (aarch64) with Debian's cross toolchain
# (crossbuild-essential-arm64): scripts/package.sh arm64. The libraries come
# from scripts/static-deps.sh's sysroot (cmake/network_libs.cmake); only
# header-only packages (fmt, spdlog, nlohmann_json, CLI11) are taken from
# this machine.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# fmt's and spdlog's CMake files live in this machine's multiarch directory,
# where a cross build does not look; they are used for headers only.
execute_process(COMMAND dpkg-architecture -qDEB_BUILD_MULTIARCH OUTPUT_VARIABLE build_multiarch
                OUTPUT_STRIP_TRAILING_WHITESPACE)
set(fmt_DIR /usr/lib/${build_multiarch}/cmake/fmt)
set(spdlog_DIR /usr/lib/${build_multiarch}/cmake/spdlog)
