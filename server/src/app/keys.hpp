#pragma once
// Every Redis key and channel name of the service (docs/redis.md), and nowhere else in C++: the
// stores and the typed script calls build keys only through these. The Lua scripts get the keys
// they touch as KEYS; the few they only find while running (a conversation taken from the queue,
// the advisor holding a conversation) come from server/lua/lib.lua, which must agree with this
// file (tests/server/app/keys_test.cpp checks that it does).
//
// `{...}` in a name is a Redis Cluster hash tag: every key of one conversation (and of one
// advisor, and of one callback) hashes to the same slot, so a script that touches one
// conversation's keys touches one slot.
#include <string>
#include <string_view>

namespace helpline::keys {

inline std::string tagged(std::string_view prefix, std::string_view id, std::string_view suffix = {}) {
  std::string k;
  k.reserve(prefix.size() + id.size() + suffix.size() + 2);
  k.append(prefix).append("{").append(id).append("}").append(suffix);
  return k;
}

// Conversations.
inline std::string conversation(std::string_view id) { return tagged("hl:conv:", id); }
inline std::string messages(std::string_view id) { return tagged("hl:conv:", id, ":msgs"); }
inline std::string client_ids(std::string_view id) { return tagged("hl:conv:", id, ":cids"); }
inline std::string tried(std::string_view id) { return tagged("hl:conv:", id, ":tried"); }
inline std::string watchers(std::string_view id) { return tagged("hl:conv:", id, ":watchers"); }
inline std::string resume(std::string_view token_hash) { return "hl:resume:" + std::string(token_hash); }
inline const std::string live = "hl:live";
inline const std::string queue = "hl:queue";
inline const std::string offers = "hl:offers";
inline const std::string handle_times = "hl:stats:handle_ms";

// Advisors and accounts.
inline std::string advisor(std::string_view id) { return tagged("hl:advisor:", id); }
inline std::string advisor_conversations(std::string_view id) { return tagged("hl:advisor:", id, ":convs"); }
inline std::string advisor_offers(std::string_view id) { return tagged("hl:advisor:", id, ":offers"); }
inline std::string advisor_wrapups(std::string_view id) { return tagged("hl:advisor:", id, ":wrapups"); }
inline const std::string advisors_online = "hl:advisors:online";
inline std::string user(std::string_view username) { return "hl:user:" + std::string(username); }
inline const std::string users = "hl:users";
inline std::string session(std::string_view token_hash) { return "hl:session:" + std::string(token_hash); }
inline std::string login_failures(std::string_view username) { return "hl:login_fail:" + std::string(username); }

// Callbacks.
inline std::string callback(std::string_view id) { return tagged("hl:callback:", id); }
inline const std::string callbacks_pending = "hl:callbacks:pending";

// Settings and statistics (day: YYYY-MM-DD in the helpline's time zone).
inline const std::string hours = "hl:config:hours";
inline std::string stats_day(std::string_view day) { return "hl:stats:" + std::string(day); }
inline std::string stats_levels(std::string_view day) { return stats_day(day) + ":levels"; }
inline std::string stats_waits(std::string_view day) { return stats_day(day) + ":waits"; }

// The pub/sub channel every node listens on (not a key).
inline const std::string events = "hl:events";

}  // namespace helpline::keys
