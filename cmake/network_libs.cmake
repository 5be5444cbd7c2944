# How the preflight binary gets its network libraries, and the logging
# library every target uses, per flavour (PREFLIGHT_STATIC):
#
#   OFF    dynamic, the development default: libcurl, libpq, OpenSSL and
#          MariaDB Connector/C are opened on first use (src/lazy/), so a run
#          that never touches the network does not map them.
#   GLIBC  everything but glibc linked in: runs on glibc >= the build's
#          (2.36: bookworm, trixie, Ubuntu 24.04) and keeps the system's NSS.
#   FULL   a fully static PIE, for distroless and `scratch` images.
#
# The static flavours link a minimal libcurl and libpq built from Debian's
# source packages by scripts/static-deps.sh (PREFLIGHT_STATIC_DEPS is the
# prefix it prints), and Debian's own static OpenSSL, zlib, nghttp2, hiredis
# and MariaDB Connector/C. They need no src/lazy/.
#
# Defines:
#   preflight_network_headers  the libraries' headers (the core compiles
#                              against them, whatever the flavour)
#   preflight_network_libs     the libraries, linked (tests, fuzzers,
#                              benchmark; the binary in a static flavour)
#   preflight_logging          spdlog and fmt
#   PREFLIGHT_BINARY_SOURCES   what the binary adds to the core
set(PREFLIGHT_STATIC OFF CACHE STRING "OFF (dynamic), GLIBC (all but glibc linked in) or FULL (static PIE)")
set_property(CACHE PREFLIGHT_STATIC PROPERTY STRINGS OFF GLIBC FULL)
set(PREFLIGHT_STATIC_DEPS "" CACHE PATH "The prefix scripts/static-deps.sh printed (static flavours)")

add_library(preflight_network_headers INTERFACE)
add_library(preflight_network_libs INTERFACE)
add_library(preflight_logging INTERFACE)

if(PREFLIGHT_STATIC STREQUAL "OFF")
  find_package(CURL REQUIRED)
  find_package(PostgreSQL REQUIRED)
  find_package(OpenSSL REQUIRED)
  pkg_check_modules(MARIADB REQUIRED IMPORTED_TARGET libmariadb)
  set(libs CURL::libcurl PostgreSQL::PostgreSQL OpenSSL::SSL OpenSSL::Crypto PkgConfig::MARIADB)
  foreach(lib ${libs})
    target_include_directories(preflight_network_headers SYSTEM INTERFACE $<TARGET_PROPERTY:${lib},INTERFACE_INCLUDE_DIRECTORIES>)
  endforeach()
  target_link_libraries(preflight_network_libs INTERFACE ${libs})
  target_link_libraries(preflight_logging INTERFACE spdlog::spdlog fmt::fmt)
  file(GLOB lazy_sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/lazy/*.cc)
  set(PREFLIGHT_BINARY_SOURCES ${lazy_sources})
  # It defines curl's own functions, so it must see curl.h before anything
  # else does (CURL_DISABLE_TYPECHECK): a translation unit of its own in a
  # unity build.
  set_source_files_properties(${PROJECT_SOURCE_DIR}/src/lazy/curl_stubs.cc PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
  set(PREFLIGHT_FLAVOUR "dynamic: libraries opened on first use")
  return()
endif()

if(NOT PREFLIGHT_STATIC MATCHES "^(GLIBC|FULL)$")
  message(FATAL_ERROR "PREFLIGHT_STATIC is OFF, GLIBC or FULL, not '${PREFLIGHT_STATIC}'")
endif()
if(NOT EXISTS "${PREFLIGHT_STATIC_DEPS}/.complete")
  message(FATAL_ERROR "PREFLIGHT_STATIC=${PREFLIGHT_STATIC} needs PREFLIGHT_STATIC_DEPS, the prefix "
                      "scripts/static-deps.sh prints ('${PREFLIGHT_STATIC_DEPS}' holds no complete build)")
endif()

# The archives, in link order (each before the ones it uses): libcurl and
# libpq from the source builds only (Debian's own are in the system's
# library directory and cannot be linked statically), the rest Debian's.
# A cross build finds Debian's archives and headers for its architecture in
# the sysroot scripts/static-deps.sh unpacked them into.
set(sysroot ${PREFLIGHT_STATIC_DEPS}/sysroot)
set(debian_archives)
set(debian_headers)
if(EXISTS ${sysroot})
  set(debian_archives PATHS ${sysroot}/usr/lib/${CMAKE_LIBRARY_ARCHITECTURE} NO_DEFAULT_PATH)
  set(debian_headers ${sysroot}/usr/include ${sysroot}/usr/include/${CMAKE_LIBRARY_ARCHITECTURE})
endif()
set(archives)
foreach(name curl nghttp2 pq pgcommon_shlib pgport_shlib mariadb ssl crypto z hiredis)
  if(name MATCHES "^(curl|pq|pgcommon_shlib|pgport_shlib)$")
    find_library(archive NAMES lib${name}.a PATHS ${PREFLIGHT_STATIC_DEPS}/lib NO_DEFAULT_PATH NO_CACHE REQUIRED)
  else()
    find_library(archive NAMES lib${name}.a ${debian_archives} NO_CACHE REQUIRED)
  endif()
  list(APPEND archives ${archive})
  unset(archive)
endforeach()
find_path(mariadb_include mysql.h PATHS ${debian_headers} PATH_SUFFIXES mariadb REQUIRED NO_CACHE)
target_include_directories(preflight_network_headers SYSTEM BEFORE INTERFACE ${PREFLIGHT_STATIC_DEPS}/include
                           ${debian_headers} ${mariadb_include})
target_link_libraries(preflight_network_libs INTERFACE ${archives} ${CMAKE_DL_LIBS} Threads::Threads m)

# spdlog without its shared library, and fmt compiled in: Debian's
# spdlog_header_only target still names the shared fmt.
get_target_property(spdlog_include spdlog::spdlog_header_only INTERFACE_INCLUDE_DIRECTORIES)
target_include_directories(preflight_logging SYSTEM INTERFACE ${spdlog_include})
target_compile_definitions(preflight_logging INTERFACE SPDLOG_FMT_EXTERNAL)
target_link_libraries(preflight_logging INTERFACE fmt::fmt-header-only Threads::Threads)

set(PREFLIGHT_BINARY_SOURCES)
# The start-up path's peak RSS is mostly the binary's own pages: each page
# touched maps its 64 KiB neighbourhood (the kernel's fault-around), so code
# that is never run still costs when it sits beside code that is. Hence
# only the code that is called, at Debian's -O2 (text 7.97 MB -> 6.36 MB),
# and relative relocations packed (DT_RELR, glibc >= 2.36, which both
# flavours need anyway): 700 KB of .rela.dyn that the loader read at every
# start become 8 KB. The fully static healthy run's peak RSS went from 8.7
# to 7.0 MiB (bench/README.md).
add_compile_options(-ffunction-sections -fdata-sections $<$<CONFIG:Release>:-O2>)
add_link_options(-Wl,--gc-sections)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64")
  # bookworm's binutils (2.40) packs them for x86 only; for aarch64 it
  # ignores the option with a warning.
  add_link_options(-Wl,-z,pack-relative-relocs)
endif()
if(PREFLIGHT_STATIC STREQUAL "GLIBC")
  add_link_options(-static-libstdc++ -static-libgcc)
  set(PREFLIGHT_FLAVOUR "static: all but glibc linked in")
else()
  add_link_options(-static-pie)
  set(PREFLIGHT_FLAVOUR "fully static")
endif()
# Where the linked-in code came from, for --version -v: the source builds'
# Debian versions, and the Debian packages of the static archives.
# (A cross build's sysroot packages are listed in the same file.)
file(STRINGS ${PREFLIGHT_STATIC_DEPS}/sources PREFLIGHT_LINKED_SOURCES)
if(NOT EXISTS ${sysroot})
  foreach(package libssl-dev zlib1g-dev libnghttp2-dev libhiredis-dev libmariadb-dev libyaml-dev)
    execute_process(COMMAND dpkg-query -W -f=${package}\ \${Version} ${package}
                    OUTPUT_VARIABLE version RESULT_VARIABLE failed ERROR_QUIET)
    if(failed)
      message(FATAL_ERROR "the static flavours link Debian's ${package}: not installed")
    endif()
    list(APPEND PREFLIGHT_LINKED_SOURCES "${version}")
  endforeach()
endif()
list(JOIN PREFLIGHT_LINKED_SOURCES ", " PREFLIGHT_LINKED_SOURCES)
