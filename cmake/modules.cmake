# The modules of src/, lowest first (ARCHITECTURE.md, "Dependency
# direction"). Each is a static library that links only the modules below
# it and compiles against an include root holding only its own folder and
# theirs (symbolic links under <build>/module-roots/): an include that
# points upward names a file that is not there, and the build fails on it.
set(PREFLIGHT_MODULES base net probes config engine report app)

set(below "")
foreach(module ${PREFLIGHT_MODULES})
  list(APPEND below ${module})
  set(root ${PROJECT_BINARY_DIR}/module-roots/${module})
  file(REMOVE_RECURSE ${root})
  file(MAKE_DIRECTORY ${root})
  foreach(visible ${below})
    file(CREATE_LINK ${PROJECT_SOURCE_DIR}/src/${visible} ${root}/${visible} SYMBOLIC)
  endforeach()

  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${module}/*.cc)
  add_library(preflight_${module} STATIC ${sources})
  target_include_directories(preflight_${module} PRIVATE ${root})
  target_compile_definitions(preflight_${module} PRIVATE PREFLIGHT_VERSION="${PROJECT_VERSION}")
  # The network libraries' headers only: each program chooses how it gets
  # the libraries themselves (cmake/network_libs.cmake).
  target_link_libraries(preflight_${module}
    PUBLIC ${previous} preflight_logging nlohmann_json::nlohmann_json Threads::Threads
    PRIVATE preflight_network_headers)
  if(PREFLIGHT_PCH)
    if(previous)
      target_precompile_headers(preflight_${module} REUSE_FROM preflight_base)
    else()
      target_precompile_headers(preflight_${module} PRIVATE <fmt/format.h> <nlohmann/json.hpp> <string> <vector> <optional> <algorithm> <map> <memory>)
    endif()
  endif()
  set(previous preflight_${module})
endforeach()

# Everything, for the programs above the modules (the executable, tests,
# fuzzers, benchmarks), which see all of src/.
add_library(preflight_core INTERFACE)
target_link_libraries(preflight_core INTERFACE preflight_app)
target_include_directories(preflight_core INTERFACE ${PROJECT_SOURCE_DIR}/src)
target_compile_definitions(preflight_core INTERFACE PREFLIGHT_VERSION="${PROJECT_VERSION}")
