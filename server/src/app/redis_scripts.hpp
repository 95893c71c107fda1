#pragma once
// The Lua scripts of server/lua, ready for EVALSHA, each with server/lua/lib.lua in front. See
// docs/redis.md for what each one does; app/script_calls.hpp is the only way to call them.
#include <string>
#include <vector>

#include "redis/script.hpp"

namespace helpline {

struct redis_scripts {
  redis::script create_conversation, answer, visitor_message, append_message, route, accept, decline,
      end_conversation, wrap_up, transfer, advisor_offline, callback_create, callback_claim, callback_outcome,
      case_record, take_over, visitor_presence, callback_cancel;

  static const redis_scripts& get();  // built once from the embedded sources
  // Names of the embedded scripts (lib excluded), for tests that check every one.
  static std::vector<std::string> names();
};

// One script run: the keys it declares (KEYS) and its other arguments (ARGV).
struct script_call {
  const redis::script* script = nullptr;
  std::vector<std::string> keys;
  std::vector<std::string> args;
};

}  // namespace helpline
