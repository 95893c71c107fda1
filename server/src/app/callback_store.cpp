#include "app/callback_store.hpp"

#include <boost/json.hpp>
#include <set>

#include "app/ids.hpp"
#include "app/json_fields.hpp"
#include "app/protocol_error.hpp"
#include "app/keys.hpp"
#include "app/script_calls.hpp"
#include "triage/caller_type.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;
using json_fields::now_ms;

namespace {

constexpr std::array<std::string_view, 7> day_names{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

int parse_time(const json::object& w, std::string_view field) {
  const auto* v = w.if_contains(field);
  if (!v || !v->is_string() || v->as_string().size() != 5 || v->as_string()[2] != ':') {
    throw protocol_error("bad_request", "safe_times." + std::string(field) + " must be \"HH:MM\"");
  }
  const auto& s = v->as_string();
  for (std::size_t i : {0u, 1u, 3u, 4u}) {
    if (s[i] < '0' || s[i] > '9') throw protocol_error("bad_request", "safe_times." + std::string(field) + " must be \"HH:MM\"");
  }
  int h = (s[0] - '0') * 10 + (s[1] - '0');
  int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m > 0)) throw protocol_error("bad_request", "safe_times: no such time");
  return h * 60 + m;
}

// 7-15 digits, and only digits, spaces, +, -, ( and ).
bool valid_phone(const std::string& phone) {
  if (phone.size() < 7 || phone.size() > 20) return false;
  int digits = 0;
  for (char c : phone) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c != ' ' && c != '+' && c != '-' && c != '(' && c != ')') {
      return false;
    }
  }
  return digits >= 7 && digits <= 15;
}

// A script's reply: the callback's hash after the change.
json::object stored(const redis::reply& r) { return callback::from_record(redis_call::to_record(r)).to_json(); }

const std::set<std::string> outcomes_done{"reached", "wrong_number"};
const std::set<std::string> outcomes{"reached", "no_answer", "voicemail_left", "wrong_number", "not_safe_to_talk"};

}  // namespace

callback_request callback_request::from_json(const json::object& o, const std::string& default_lang) {
  callback_request r;
  r.phone = json_fields::required_string(o, "phone", 20);
  if (!valid_phone(r.phone)) throw protocol_error("bad_request", "phone must have 7-15 digits");
  const auto* times = o.if_contains("safe_times");
  if (!times || !times->is_array() || times->as_array().empty() || times->as_array().size() > 14) {
    throw protocol_error("bad_request", "safe_times must list 1-14 windows");
  }
  for (const auto& t : times->as_array()) {
    if (!t.is_object()) throw protocol_error("bad_request", "safe_times entries are objects");
    const auto& w = t.as_object();
    safe_window sw;
    std::string day = json_fields::optional_string(w, "day", 3).value_or("any");
    if (day != "any") {
      auto it = std::find(day_names.begin(), day_names.end(), day);
      if (it == day_names.end()) throw protocol_error("bad_request", "safe_times.day must be mon..sun or any");
      sw.day = static_cast<int>(it - day_names.begin());
    }
    sw.from = parse_time(w, "from");
    sw.to = parse_time(w, "to");
    if (sw.from >= sw.to) throw protocol_error("bad_request", "safe_times: from must be before to");
    r.safe_times.push_back(sw);
    r.safe_times_json.push_back(json::object{{"day", day}, {"from", w.at("from")}, {"to", w.at("to")}});
  }
  r.may_leave_message = json_fields::required_bool(o, "may_leave_message");
  r.may_say_who_is_calling = json_fields::required_bool(o, "may_say_who_is_calling");
  r.lang = json_fields::optional_string(o, "lang", 16).value_or(default_lang);
  r.caller_type = json_fields::optional_string(o, "caller_type", 32).value_or("");
  if (!r.caller_type.empty() && !triage::parse_caller_type(r.caller_type)) {
    throw protocol_error("bad_request", "caller_type is not known");
  }
  r.note = json_fields::optional_string(o, "note", 500).value_or("");
  return r;
}

callback_store::callback_store(redis_call redis, const app_config& config, const opening_hours& hours)
    : redis_(std::move(redis)), config_(config), hours_(hours) {}

asio::awaitable<json::object> callback_store::create(const callback_request& req) {
  auto now = std::chrono::system_clock::now();
  auto next = hours_.next_safe_time(now, req.safe_times);
  // Never promise a call at an hour nobody works: the visitor is asked for other times.
  if (!next) {
    throw protocol_error("outside_hours", "none of these safe times is within the helpline's opening hours in the next two weeks");
  }
  long long due = std::chrono::duration_cast<std::chrono::milliseconds>(next->time_since_epoch()).count();
  std::string id = ids::random_id("cb_");
  script_call call = scripts::callback_create(
      {.id = id,
       .due_ms = due,
       .fields = {{"phone", req.phone},
                  {"safe_times", json::serialize(req.safe_times_json)},
                  {"may_leave_message", req.may_leave_message ? "1" : "0"},
                  {"may_say_who_is_calling", req.may_say_who_is_calling ? "1" : "0"},
                  {"lang", req.lang},
                  {"caller_type", req.caller_type},
                  {"note", req.note},
                  {"conversation_id", req.conversation_id},
                  {"created_at", std::to_string(now_ms())}}});
  co_await redis_.run(std::move(call));
  co_return callback::from_record(co_await redis_.hgetall(keys::callback(id))).to_json();
}

asio::awaitable<json::array> callback_store::due(std::chrono::hours horizon) {
  long long until = now_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(horizon).count();
  auto ids_reply = co_await redis_.call("ZRANGEBYSCORE", keys::callbacks_pending, "-inf", std::to_string(until), "LIMIT", "0", "200");
  std::vector<std::vector<std::string>> cmds;
  for (const auto& e : ids_reply.as_array()) cmds.push_back({"HGETALL", keys::callback(e.str)});
  json::array out;
  if (cmds.empty()) co_return out;
  auto replies = co_await redis_.pipeline(std::move(cmds));
  for (const auto& r : replies) {
    auto cb = callback::from_record(redis_call::to_record(r));
    if (cb.exists()) out.push_back(cb.to_json());
  }
  co_return out;
}

asio::awaitable<json::object> callback_store::claim(const std::string& id, const std::string& advisor) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(config_.callback_claim).count();
  script_call call = scripts::callback_claim({.id = id, .advisor = advisor, .now_ms = now_ms(), .claim_ms = ms});
  co_return stored(co_await redis_.run(std::move(call)));
}

asio::awaitable<json::object> callback_store::release(const std::string& id, const std::string& advisor) {
  script_call call =
      scripts::callback_claim({.id = id, .advisor = advisor, .now_ms = now_ms(), .claim_ms = 0, .release = true});
  co_return stored(co_await redis_.run(std::move(call)));
}

asio::awaitable<json::object> callback_store::record_outcome(const std::string& id, const std::string& advisor,
                                                             const std::string& outcome, const std::string& notes,
                                                             std::optional<long long> reschedule_at) {
  if (!outcomes.count(outcome)) {
    throw protocol_error("bad_request", "outcome must be reached, no_answer, voicemail_left, wrong_number or not_safe_to_talk");
  }
  bool done = outcomes_done.count(outcome) > 0;
  long long next_due = now_ms();
  if (!done) {
    if (reschedule_at) {
      next_due = *reschedule_at;
    } else {
      // Due again at the caller's next safe window, at least an hour from now.
      const callback cb = callback::from_record(co_await redis_.hgetall(keys::callback(id)));
      std::vector<safe_window> windows;
      for (const auto& t : cb.safe_times) {
        try {
          callback_request probe = callback_request::from_json(
              json::object{{"phone", "0000000"}, {"safe_times", json::array{t}}, {"may_leave_message", false},
                           {"may_say_who_is_calling", false}},
              "en");
          windows.insert(windows.end(), probe.safe_times.begin(), probe.safe_times.end());
        } catch (const protocol_error&) {
        }
      }
      auto from = std::chrono::system_clock::now() + std::chrono::hours(1);
      auto next = hours_.next_safe_time(from, windows);
      next_due = std::chrono::duration_cast<std::chrono::milliseconds>((next ? *next : from).time_since_epoch()).count();
    }
  }
  json::object attempt{{"at", now_ms()}, {"by", advisor}, {"outcome", outcome}, {"notes", notes}};
  script_call call = scripts::callback_outcome(
      {.id = id,
       .advisor = advisor,
       .attempt_json = json::serialize(attempt),
       .done = done,
       .next_due_ms = next_due,
       .retention_s = std::chrono::duration_cast<std::chrono::seconds>(config_.retention).count()});
  co_return stored(co_await redis_.run(std::move(call)));
}

asio::awaitable<void> callback_store::cancel(const std::string& id) {
  script_call call = scripts::callback_cancel(
      {.id = id,
       .now_ms = now_ms(),
       .retention_s = std::chrono::duration_cast<std::chrono::seconds>(config_.retention).count()});
  co_await redis_.run(std::move(call));
}

}  // namespace helpline
