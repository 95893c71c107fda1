#pragma once
// The Lua scripts of server/lua, ready for EVALSHA. See docs/redis.md for what each one does.
#include "redis/script.hpp"

namespace helpline {

struct redis_scripts {
  redis::script create_conversation, answer, add_categories, set_level, append_message, route,
      accept, decline, end_conversation, wrap_up, transfer, advisor_offline, callback_create,
      callback_claim, callback_outcome, case_record, take_over;

  static const redis_scripts& get();  // built once from the embedded sources
};

}  // namespace helpline
