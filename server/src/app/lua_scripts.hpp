#pragma once
// Lua scripts embedded from server/lua at build time (see cmake/embed_lua.cmake).
#include <string_view>
#include <vector>

namespace helpline::lua {

struct embedded_script {
  std::string_view name;    // file name without .lua
  std::string_view source;  // script text
};

const std::vector<embedded_script>& all_scripts();

}  // namespace helpline::lua
