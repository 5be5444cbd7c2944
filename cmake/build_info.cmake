# What --version says of the build: the git revision and the flavour,
# written to <build>/generated/preflight_build.h. Only src/app/versions.cc
# includes it, so a new commit recompiles that one file. CMake configures
# again when HEAD moves (its reflog changes with every commit and checkout).
# PREFLIGHT_FLAVOUR and PREFLIGHT_LINKED_SOURCES come from
# cmake/network_libs.cmake.
find_package(Git QUIET)
set(PREFLIGHT_REVISION "unknown")
if(GIT_FOUND)
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} rev-parse --short=12 HEAD
                  OUTPUT_VARIABLE revision OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE failed)
  if(NOT failed AND revision)
    set(PREFLIGHT_REVISION "${revision}")
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${PROJECT_SOURCE_DIR} rev-parse --path-format=absolute --git-path logs/HEAD
                    OUTPUT_VARIABLE reflog OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(reflog AND EXISTS "${reflog}")
      set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${reflog}")
    endif()
  endif()
endif()
file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/generated/preflight_build.h CONTENT [[
#pragma once
#define PREFLIGHT_REVISION "@PREFLIGHT_REVISION@"
#define PREFLIGHT_FLAVOUR "@PREFLIGHT_FLAVOUR@"
#define PREFLIGHT_LINKED_SOURCES "@PREFLIGHT_LINKED_SOURCES@"
]] @ONLY)
