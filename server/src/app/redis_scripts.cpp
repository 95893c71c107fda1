#include "app/redis_scripts.hpp"

#include <stdexcept>

#include "app/lua_scripts.hpp"

namespace helpline {
namespace {
constexpr std::string_view library = "lib";  // shared functions, not a script

std::string_view source_of(std::string_view name) {
  for (const auto& s : lua::all_scripts()) {
    if (s.name == name) return s.source;
  }
  throw std::logic_error("missing embedded Lua script " + std::string(name));
}

redis::script load(std::string_view name) {
  std::string text(source_of(library));
  text += source_of(name);
  return redis::script(std::move(text));
}
}  // namespace

const redis_scripts& redis_scripts::get() {
  static const redis_scripts scripts{
      load("create_conversation"), load("answer"),          load("visitor_message"), load("append_message"),
      load("route"),               load("accept"),          load("decline"),         load("end_conversation"),
      load("wrap_up"),             load("transfer"),        load("advisor_offline"), load("callback_create"),
      load("callback_claim"),      load("callback_outcome"), load("case_record"),    load("take_over"),
      load("visitor_presence"), load("callback_cancel")};
  return scripts;
}

std::vector<std::string> redis_scripts::names() {
  std::vector<std::string> out;
  for (const auto& s : lua::all_scripts()) {
    if (s.name != library) out.emplace_back(s.name);
  }
  return out;
}

}  // namespace helpline
