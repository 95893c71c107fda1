#pragma once
// One typed function per Lua script (server/lua, docs/redis.md): a struct of arguments in, the
// script with its KEYS and ARGV out, for redis_call::run. Keys come from app/keys.hpp only, so a
// script never builds the name of a key its caller knows. Building a call does no I/O, so tests
// can look at the keys (tests/server/app/script_keys_test.cpp) and run it on a blocking
// connection.
#include <string>
#include <vector>

#include "app/redis_scripts.hpp"
#include "triage/risk_level.hpp"

namespace helpline::scripts {

// Milliseconds since the Unix epoch unless named otherwise.
struct create_conversation_args {
  std::string id, resume_hash, caller_type, lang, first_question;
  long long now_ms = 0;
  long long resume_ttl_s = 0;
};
script_call create_conversation(const create_conversation_args& a);

// A conversation's risk after new categories, computed by the caller from `seen` (the stored set
// it read) and checked by the script against what is stored: a set that changed meanwhile makes
// the script answer `stale` and change nothing (docs/redis.md, "Risk").
struct risk_change {
  std::vector<std::string> seen;
  std::vector<std::string> added;  // empty: the risk does not change
  triage::risk_level level = triage::risk_level::none;
  std::string stats_day;           // the conversation's statistics day; "" = not counted
};

struct answer_args {
  std::string id, question_id, answer_json, next_question;  // next_question "" = screening done
  long long now_ms = 0;
  std::string boosts_json;  // seconds per level rank
  risk_change risk;
  std::string flags_json = "[]";  // the answer's flags, for the risk event
};
script_call answer(const answer_args& a);

struct visitor_message_args {
  std::string id, client_id, text;
  long long now_ms = 0;
  std::string flags_json, cues_json;  // "" when none
  std::string screening_context;      // "" keeps the stored one
  long long max_messages = 0;
  std::string boosts_json;
  risk_change risk;
};
script_call visitor_message(const visitor_message_args& a);

struct append_message_args {
  std::string id;
  std::string sender_key;  // "a:<advisor id>"
  std::string client_id, from, name, text;
  long long now_ms = 0;
  std::string card_json;       // "" when none
  std::string allowed_states;  // comma separated
  long long max_messages = 0;
  std::string advisor_id;      // participant check; "" = none
  bool team = false;           // a private note for advisors and supervisors, never the visitor
  std::string notice;          // a system event the widget words in its language ("" = none)
};
script_call append_message(const append_message_args& a);

struct route_args {
  long long now_ms = 0, offer_ms = 0, skill_ms = 0, alive_ms = 0, abandon_ms = 0, scan = 200;
  bool sweep = false;
  long long retention_s = 0;
  std::string today;  // abandonments are counted under this day; "" = not counted
  long long visitor_alive_ms = 15000;  // a visitor heartbeat older than this: away
};
script_call route(const route_args& a);

struct visitor_presence_args {
  std::string id;
  bool seen = true;  // a socket opened (true) or the node's last one closed (false)
  long long now_ms = 0, alive_ms = 15000, gone_ms = 0;
};
script_call visitor_presence(const visitor_presence_args& a);

struct accept_args {
  std::string id, advisor, name;
  long long now_ms = 0;
  int capacity = 1;
};
script_call accept(const accept_args& a);

struct decline_args {
  std::string advisor, reason;
  std::string id;  // "" = every offer of the advisor
};
script_call decline(const decline_args& a);

struct advisor_offline_args {
  std::string advisor;
};
script_call advisor_offline(const advisor_offline_args& a);

struct end_conversation_args {
  std::string id, by, advisor;  // by: visitor | advisor; advisor "" for visitors
  bool supervisor = false;
  long long now_ms = 0, retention_s = 0;
  std::string reason;  // "quick_exit" or ""
};
script_call end_conversation(const end_conversation_args& a);

struct wrap_up_args {
  std::string id, advisor;
  bool supervisor = false;
  std::string wrapup_json;
  long long now_ms = 0, retention_s = 0;
};
script_call wrap_up(const wrap_up_args& a);

struct transfer_args {
  std::string id, from;
  bool supervisor = false;
  std::string to, note;  // to: "supervisor" or an advisor id
  long long now_ms = 0;
};
script_call transfer(const transfer_args& a);

struct take_over_args {
  std::string id, supervisor, name;
  long long now_ms = 0;
};
script_call take_over(const take_over_args& a);

struct case_record_args {
  std::string what;  // plan | confirm | disclosure
  std::string id;
  std::string argument;  // the record's JSON, or the plan id to confirm
  std::string by, by_name;
  long long now_ms = 0;
};
script_call case_record(const case_record_args& a);

struct callback_create_args {
  std::string id;
  long long due_ms = 0;
  std::vector<std::pair<std::string, std::string>> fields;  // stored as given
};
script_call callback_create(const callback_create_args& a);

struct callback_claim_args {
  std::string id, advisor;
  long long now_ms = 0, claim_ms = 0;
  bool release = false;
};
script_call callback_claim(const callback_claim_args& a);

struct callback_outcome_args {
  std::string id, advisor, attempt_json;
  bool done = false;
  long long next_due_ms = 0, retention_s = 0;
};
script_call callback_outcome(const callback_outcome_args& a);

struct callback_cancel_args {
  std::string id;
  long long now_ms = 0, retention_s = 0;
};
script_call callback_cancel(const callback_cancel_args& a);

}  // namespace helpline::scripts
