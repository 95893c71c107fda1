# Precompiled headers (HELPLINE_PCH, on by default). Two precompiled headers, each compiled once
# and reused (REUSE_FROM) by every target whose compile flags match it:
#   helpline_pch_lib  std + Asio + Boost.JSON + spdlog, for the server libraries (helpline_redis,
#                     helpline_net, helpline_server), at the build's optimisation level;
#   test_support      std + GoogleTest + Boost.JSON, at the test code's -O0, for test_support and
#                     every test executable.
# A precompiled header is only valid for the flags it was made with. CMake adds -Winvalid-pch and
# -Werror makes a mismatch a build error instead of a silent slowdown: a target whose flags differ
# (another optimisation level, other macros that these headers test) needs its own.
#
# Loading a precompiled header is not free: GCC reads the whole file (about 150-280 MB with these
# headers), which costs a few seconds of CPU per translation unit, about half of what parsing the
# same headers costs. It pays only where a translation unit would parse most of it anyway: triage
# (Boost.JSON and std only) and helpline's main.cpp use none, and the small translation units that
# include no Asio or JSON skip it (helpline_skip_pch). Measured numbers: docs/testing.md.

set(HELPLINE_PCH_STD_HEADERS
  <algorithm> <array> <atomic> <chrono> <cstdint> <filesystem> <functional> <map> <memory> <mutex>
  <optional> <set> <sstream> <stdexcept> <string> <string_view> <unordered_map> <utility> <variant>
  <vector>)
set(HELPLINE_PCH_LIB_HEADERS ${HELPLINE_PCH_STD_HEADERS}
  <boost/asio/any_io_executor.hpp> <boost/asio/as_tuple.hpp> <boost/asio/awaitable.hpp>
  <boost/asio/co_spawn.hpp> <boost/asio/detached.hpp> <boost/asio/io_context.hpp>
  <boost/asio/ip/tcp.hpp> <boost/asio/post.hpp> <boost/asio/steady_timer.hpp>
  <boost/asio/strand.hpp> <boost/asio/use_awaitable.hpp>
  <boost/json.hpp> <fmt/format.h> <spdlog/spdlog.h>)
set(HELPLINE_PCH_TEST_HEADERS ${HELPLINE_PCH_STD_HEADERS} <boost/json.hpp> <gtest/gtest.h>)

if(HELPLINE_PCH)
  set(holder_source ${CMAKE_BINARY_DIR}/generated/pch_holder.cpp)
  file(CONFIGURE OUTPUT ${holder_source} CONTENT "// Holds the library precompiled header (cmake/pch.cmake).\n")
  add_library(helpline_pch_lib OBJECT ${holder_source})
  # The same flags as the libraries that reuse it (server/CMakeLists.txt).
  target_link_libraries(helpline_pch_lib PRIVATE Boost::json spdlog::spdlog Threads::Threads
                                                 helpline_warnings helpline_sanitizers)
  target_precompile_headers(helpline_pch_lib PRIVATE ${HELPLINE_PCH_LIB_HEADERS})
endif()

# helpline_use_pch(target holder): target uses holder's precompiled header (when HELPLINE_PCH).
function(helpline_use_pch target holder)
  if(HELPLINE_PCH)
    target_precompile_headers(${target} REUSE_FROM ${holder})
  endif()
endfunction()

# helpline_skip_pch(dir files...): these sources of the folder dir compile without it.
function(helpline_skip_pch dir)
  list(TRANSFORM ARGN PREPEND ${dir}/)
  set_source_files_properties(${ARGN} DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR} PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
endfunction()
