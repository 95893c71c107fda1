#include "app/callback.hpp"

namespace helpline {
namespace json = boost::json;

callback callback::from_record(const record& r) {
  using namespace record_fields;
  callback c;
  c.id = text(r, "id");
  c.state = text(r, "state");
  c.phone = text(r, "phone");
  c.lang = text(r, "lang");
  c.caller_type = text(r, "caller_type");
  c.note = text(r, "note");
  c.conversation_id = text(r, "conversation_id");
  c.claimed_by = text(r, "claimed_by");
  c.safe_times = json_array(r, "safe_times");
  c.may_leave_message = text(r, "may_leave_message") == "1";
  c.may_say_who_is_calling = text(r, "may_say_who_is_calling") == "1";
  c.due_at = number(r, "due_at");
  c.created_at = number(r, "created_at");
  c.attempts = json_array(r, "attempts");
  return c;
}

json::object callback::to_json() const {
  return {{"id", id}, {"phone", phone}, {"safe_times", safe_times},
          {"may_leave_message", may_leave_message}, {"may_say_who_is_calling", may_say_who_is_calling},
          {"lang", lang}, {"caller_type", caller_type}, {"note", note},
          {"due_at", record_fields::or_null(due_at)}, {"created_at", record_fields::or_null(created_at)},
          {"state", state}, {"claimed_by", record_fields::or_null(claimed_by)}, {"attempts", attempts},
          {"conversation_id", record_fields::or_null(conversation_id)}};
}

}  // namespace helpline
