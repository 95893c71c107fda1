#include "app/redis_scripts.hpp"

#include <stdexcept>

#include "app/lua_scripts.hpp"

namespace helpline {
namespace {
redis::script load(std::string_view name) {
  for (const auto& s : lua::all_scripts()) {
    if (s.name == name) return redis::script(std::string(s.source));
  }
  throw std::logic_error("missing embedded Lua script " + std::string(name));
}
}  // namespace

const redis_scripts& redis_scripts::get() {
  static const redis_scripts scripts{
      load("create_conversation"), load("answer"),         load("add_categories"),
      load("set_level"),           load("append_message"), load("route"),
      load("accept"),              load("decline"),        load("end_conversation"),
      load("wrap_up"),             load("transfer"),       load("advisor_offline"),
      load("callback_create"),     load("callback_claim"), load("callback_outcome"),
      load("case_record"),         load("take_over")};
  return scripts;
}

}  // namespace helpline
