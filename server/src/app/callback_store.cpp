#include "app/callback_store.hpp"

#include <boost/json.hpp>
#include <set>

#include "app/ids.hpp"
#include "app/json_fields.hpp"
#include "app/protocol_error.hpp"
#include "app/redis_scripts.hpp"
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

json::object callback_store::to_json(const record& r) {
  auto get = [&](const char* k) { auto it = r.find(k); return it == r.end() ? std::string() : it->second; };
  auto num = [&](const char* k) -> json::value {
    auto s = get(k);
    return s.empty() ? json::value(nullptr) : json::value(std::stoll(s));
  };
  auto parsed = [&](const char* k) -> json::value {
    json::error_code ec;
    auto v = json::parse(get(k), ec);
    return ec ? json::value(json::array()) : v;
  };
  std::string phone = get("phone");
  return {{"id", get("id")}, {"phone", phone}, {"safe_times", parsed("safe_times")},
          {"may_leave_message", get("may_leave_message") == "1"},
          {"may_say_who_is_calling", get("may_say_who_is_calling") == "1"}, {"lang", get("lang")},
          {"caller_type", get("caller_type")}, {"note", get("note")}, {"due_at", num("due_at")},
          {"created_at", num("created_at")}, {"state", get("state")},
          {"claimed_by", get("claimed_by").empty() ? json::value(nullptr) : json::value(get("claimed_by"))},
          {"attempts", parsed("attempts")},
          {"conversation_id", get("conversation_id").empty() ? json::value(nullptr) : json::value(get("conversation_id"))}};
}

asio::awaitable<json::object> callback_store::create(const callback_request& req) {
  auto now = std::chrono::system_clock::now();
  auto next = hours_.next_safe_time(now, req.safe_times);
  long long due = std::chrono::duration_cast<std::chrono::milliseconds>((next ? *next : now).time_since_epoch()).count();
  std::string id = ids::random_id("cb_");
  co_await redis_.run(redis_scripts::get().callback_create, id, std::to_string(due), "phone", req.phone, "safe_times", json::serialize(req.safe_times_json),
                        "may_leave_message", req.may_leave_message ? "1" : "0", "may_say_who_is_calling",
                        req.may_say_who_is_calling ? "1" : "0", "lang", req.lang, "caller_type", req.caller_type,
                        "note", req.note, "conversation_id", req.conversation_id, "created_at",
                        std::to_string(now_ms()));
  co_return to_json(co_await redis_.hgetall("hl:callback:" + id));
}

asio::awaitable<json::array> callback_store::due(std::chrono::hours horizon) {
  long long until = now_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(horizon).count();
  auto ids_reply = co_await redis_.call("ZRANGEBYSCORE", "hl:callbacks:pending", "-inf", std::to_string(until), "LIMIT", "0", "200");
  std::vector<std::vector<std::string>> cmds;
  for (const auto& e : ids_reply.as_array()) cmds.push_back({"HGETALL", "hl:callback:" + e.str});
  json::array out;
  if (cmds.empty()) co_return out;
  auto replies = co_await redis_.pipeline(std::move(cmds));
  for (const auto& r : replies) {
    auto rec = redis_call::to_record(r);
    if (!rec.empty()) out.push_back(to_json(rec));
  }
  co_return out;
}

asio::awaitable<json::object> callback_store::claim(const std::string& id, const std::string& advisor) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(config_.callback_claim).count();
  auto r = co_await redis_.run(redis_scripts::get().callback_claim, id, advisor, std::to_string(now_ms()), std::to_string(ms), "0");
  co_return to_json(redis_call::to_record(r));
}

asio::awaitable<json::object> callback_store::release(const std::string& id, const std::string& advisor) {
  auto r = co_await redis_.run(redis_scripts::get().callback_claim, id, advisor, std::to_string(now_ms()), "0", "1");
  co_return to_json(redis_call::to_record(r));
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
      record cb = co_await redis_.hgetall("hl:callback:" + id);
      std::vector<safe_window> windows;
      json::error_code ec;
      auto times = json::parse(cb["safe_times"], ec);
      if (!ec && times.is_array()) {
        for (const auto& t : times.as_array()) {
          try {
            callback_request probe = callback_request::from_json(
                json::object{{"phone", "0000000"}, {"safe_times", json::array{t}}, {"may_leave_message", false},
                             {"may_say_who_is_calling", false}},
                "en");
            windows.insert(windows.end(), probe.safe_times.begin(), probe.safe_times.end());
          } catch (const protocol_error&) {
          }
        }
      }
      auto from = std::chrono::system_clock::now() + std::chrono::hours(1);
      auto next = hours_.next_safe_time(from, windows);
      next_due = std::chrono::duration_cast<std::chrono::milliseconds>((next ? *next : from).time_since_epoch()).count();
    }
  }
  json::object attempt{{"at", now_ms()}, {"by", advisor}, {"outcome", outcome}, {"notes", notes}};
  auto r = co_await redis_.run(redis_scripts::get().callback_outcome, id, advisor, json::serialize(attempt), done ? "1" : "0", std::to_string(next_due),
                                 std::to_string(std::chrono::duration_cast<std::chrono::seconds>(config_.retention).count()));
  co_return to_json(redis_call::to_record(r));
}

}  // namespace helpline
