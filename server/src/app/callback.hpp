#pragma once
// A callback request as stored in its hash (docs/redis.md, "Callbacks"), parsed once.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "app/record.hpp"

namespace helpline {

struct callback {
  std::string id, state, phone, lang, caller_type, note, conversation_id, claimed_by;
  boost::json::array safe_times;  // [{day, from, to}] as the visitor gave them
  bool may_leave_message = false;
  bool may_say_who_is_calling = false;
  long long due_at = 0, created_at = 0;  // 0 when missing
  boost::json::array attempts;

  bool exists() const { return !id.empty(); }
  static callback from_record(const record& r);
  boost::json::object to_json() const;  // as the protocol sends it
};

}  // namespace helpline
