#include "app/script_calls.hpp"

#include <boost/json.hpp>

#include "app/keys.hpp"

namespace helpline::scripts {
namespace json = boost::json;
namespace {

std::string str(long long n) { return std::to_string(n); }
std::string flag(bool b) { return b ? "1" : "0"; }

std::string json_list(const std::vector<std::string>& items) {
  json::array a;
  for (const auto& s : items) a.emplace_back(s);
  return json::serialize(a);
}

// ARGV seen, added, level, rank; and the statistics key when the conversation has a day.
void add_risk(script_call& c, const risk_change& r) {
  c.args.insert(c.args.end(), {json_list(r.seen), json_list(r.added), std::string(triage::to_string(r.level)),
                               str(static_cast<int>(r.level))});
  if (!r.stats_day.empty()) c.keys.push_back(keys::stats_levels(r.stats_day));
}

}  // namespace

script_call create_conversation(const create_conversation_args& a) {
  return {&redis_scripts::get().create_conversation,
          {keys::conversation(a.id), keys::resume(a.resume_hash), keys::live},
          {a.id, a.caller_type, a.lang, str(a.now_ms), a.first_question, str(a.resume_ttl_s)}};
}

script_call answer(const answer_args& a) {
  script_call c{&redis_scripts::get().answer,
                {keys::conversation(a.id), keys::queue},
                {a.id, a.question_id, a.answer_json, a.next_question, str(a.now_ms), a.boosts_json}};
  add_risk(c, a.risk);
  c.args.push_back(a.flags_json);
  return c;
}

script_call visitor_message(const visitor_message_args& a) {
  script_call c{&redis_scripts::get().visitor_message,
                {keys::conversation(a.id), keys::messages(a.id), keys::client_ids(a.id), keys::queue},
                {a.id, a.client_id, a.text, str(a.now_ms), a.flags_json, a.cues_json, a.screening_context,
                 str(a.max_messages), a.boosts_json}};
  add_risk(c, a.risk);
  return c;
}

script_call append_message(const append_message_args& a) {
  return {&redis_scripts::get().append_message,
          {keys::conversation(a.id), keys::messages(a.id), keys::client_ids(a.id), keys::watchers(a.id)},
          {a.id, a.sender_key, a.client_id, a.from, a.name, a.text, str(a.now_ms), a.card_json, a.allowed_states,
           str(a.max_messages), a.advisor_id, flag(a.team), a.notice}};
}

script_call route(const route_args& a) {
  script_call c{&redis_scripts::get().route,
                {keys::advisors_online, keys::offers, keys::live, keys::queue},
                {str(a.now_ms), str(a.offer_ms), str(a.skill_ms), str(a.alive_ms), str(a.abandon_ms), str(a.scan),
                 flag(a.sweep), str(a.retention_s), str(a.visitor_alive_ms)}};
  if (!a.today.empty()) c.keys.push_back(keys::stats_day(a.today));
  return c;
}

script_call visitor_presence(const visitor_presence_args& a) {
  return {&redis_scripts::get().visitor_presence,
          {keys::conversation(a.id), keys::offers},
          {a.id, a.seen ? "seen" : "away", str(a.now_ms), str(a.alive_ms), str(a.gone_ms)}};
}

script_call accept(const accept_args& a) {
  return {&redis_scripts::get().accept,
          {keys::conversation(a.id), keys::tried(a.id), keys::queue, keys::offers, keys::advisor_offers(a.advisor),
           keys::advisor_conversations(a.advisor), keys::advisor_wrapups(a.advisor)},
          {a.id, a.advisor, a.name, str(a.now_ms), str(a.capacity)}};
}

script_call decline(const decline_args& a) {
  script_call c{&redis_scripts::get().decline, {keys::offers, keys::advisor_offers(a.advisor)},
                {a.advisor, a.reason, a.id}};
  if (!a.id.empty()) c.keys.insert(c.keys.end(), {keys::conversation(a.id), keys::tried(a.id)});
  return c;
}

script_call advisor_offline(const advisor_offline_args& a) {
  return {&redis_scripts::get().advisor_offline,
          {keys::advisors_online, keys::offers, keys::advisor_offers(a.advisor)},
          {a.advisor}};
}

script_call end_conversation(const end_conversation_args& a) {
  return {&redis_scripts::get().end_conversation,
          {keys::conversation(a.id), keys::queue, keys::offers, keys::live},
          {a.id, a.by, a.advisor, flag(a.supervisor), str(a.now_ms), str(a.retention_s), a.reason}};
}

script_call wrap_up(const wrap_up_args& a) {
  return {&redis_scripts::get().wrap_up,
          {keys::conversation(a.id), keys::live, keys::handle_times},
          {a.id, a.advisor, flag(a.supervisor), a.wrapup_json, str(a.now_ms), str(a.retention_s)}};
}

script_call transfer(const transfer_args& a) {
  return {&redis_scripts::get().transfer,
          {keys::conversation(a.id), keys::tried(a.id), keys::queue},
          {a.id, a.from, flag(a.supervisor), a.to, a.note, str(a.now_ms)}};
}

script_call take_over(const take_over_args& a) {
  return {&redis_scripts::get().take_over,
          {keys::conversation(a.id), keys::advisor_conversations(a.supervisor)},
          {a.id, a.supervisor, a.name, str(a.now_ms)}};
}

script_call case_record(const case_record_args& a) {
  return {&redis_scripts::get().case_record,
          {keys::conversation(a.id)},
          {a.what, a.id, a.argument, a.by, a.by_name, str(a.now_ms)}};
}

script_call callback_create(const callback_create_args& a) {
  script_call c{&redis_scripts::get().callback_create, {keys::callback(a.id), keys::callbacks_pending},
                {a.id, str(a.due_ms)}};
  for (const auto& [field, value] : a.fields) c.args.insert(c.args.end(), {field, value});
  return c;
}

script_call callback_claim(const callback_claim_args& a) {
  return {&redis_scripts::get().callback_claim,
          {keys::callback(a.id)},
          {a.id, a.advisor, str(a.now_ms), str(a.claim_ms), flag(a.release)}};
}

script_call callback_outcome(const callback_outcome_args& a) {
  return {&redis_scripts::get().callback_outcome,
          {keys::callback(a.id), keys::callbacks_pending},
          {a.id, a.advisor, a.attempt_json, flag(a.done), str(a.next_due_ms), str(a.retention_s)}};
}

script_call callback_cancel(const callback_cancel_args& a) {
  return {&redis_scripts::get().callback_cancel,
          {keys::callback(a.id), keys::callbacks_pending},
          {a.id, str(a.now_ms), str(a.retention_s)}};
}

}  // namespace helpline::scripts
