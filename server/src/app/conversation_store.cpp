#include "app/conversation_store.hpp"

#include <boost/json.hpp>

#include "app/ids.hpp"
#include "app/json_fields.hpp"
#include "app/keys.hpp"
#include "app/protocol_error.hpp"
#include "triage/conversation_risk.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;
using json_fields::now_ms;

namespace {
constexpr auto resume_ttl_seconds = 24 * 3600;  // a conversation can be resumed for a day
// A stale risk (the stored categories changed between the read and the script) is retried;
// only a concurrent message or answer on the same conversation causes one.
constexpr int max_risk_attempts = 8;
std::string str(long long n) { return std::to_string(n); }
std::vector<std::string> strings_of(const redis::reply& list) {
  std::vector<std::string> out;
  for (const auto& e : list.as_array()) out.push_back(e.str);
  return out;
}
std::vector<std::string> categories_of(const std::string& stored) {
  std::vector<std::string> out;
  json::value v = record_fields::parse_or(stored, json::array());
  if (!v.is_array()) return out;
  for (const auto& c : v.as_array()) {
    if (c.is_string()) out.emplace_back(c.as_string());
  }
  return out;
}
long long retention_seconds(const app_config& config) {
  return std::chrono::duration_cast<std::chrono::seconds>(config.retention).count();
}
}  // namespace

conversation_store::conversation_store(redis_call redis, const app_config& config)
    : redis_(std::move(redis)), config_(config) {}

std::string conversation_store::boosts_json() const {
  json::array a;
  for (auto b : config_.routing.level_boost) a.push_back(b.count());
  return json::serialize(a);
}

asio::awaitable<conversation_store::created> conversation_store::create(std::string_view caller_type,
                                                                        std::string_view lang,
                                                                        std::string_view first_question) {
  created c{ids::random_id("c_"), ids::new_token("r_")};
  script_call call = scripts::create_conversation({.id = c.id,
                                                    .resume_hash = ids::token_hash(c.resume_token),
                                                    .caller_type = std::string(caller_type),
                                                    .lang = std::string(lang),
                                                    .first_question = std::string(first_question),
                                                    .now_ms = now_ms(),
                                                    .resume_ttl_s = resume_ttl_seconds});
  co_await redis_.run(std::move(call));
  co_return c;
}

asio::awaitable<std::optional<std::string>> conversation_store::find_by_resume_token(const std::string& token) {
  auto r = co_await redis_.call("GET", keys::resume(ids::token_hash(token)));
  co_return r.as_optional_string();
}

asio::awaitable<conversation> conversation_store::load(const std::string& id) {
  co_return conversation::from_record(co_await redis_.hgetall(keys::conversation(id)));
}

asio::awaitable<void> conversation_store::set_visitor_lang(const std::string& id, const std::string& lang) {
  co_await redis_.call("HSET", keys::conversation(id), "visitor_lang", lang);
}

asio::awaitable<conversation_store::screening_state> conversation_store::screening(const std::string& id) {
  auto r = co_await redis_.call("HMGET", keys::conversation(id), "screening_ctx", "categories", "stats_day");
  const auto& f = r.as_array();
  screening_state s;
  if (f.size() == 3) {
    if (f[0].type == redis::reply::kind::string) s.context = triage::screening_context::parse(f[0].str);
    s.categories = categories_of(f[1].str);
    s.stats_day = f[2].str;
  }
  co_return s;
}

asio::awaitable<std::vector<std::string>> conversation_store::stored_categories(const std::string& id) {
  auto r = co_await redis_.call("HGET", keys::conversation(id), "categories");
  co_return categories_of(r.as_optional_string().value_or("[]"));
}

scripts::risk_change conversation_store::risk_after(const std::vector<std::string>& stored,
                                                    const std::vector<std::string>& added,
                                                    const std::string& stats_day,
                                                    const std::shared_ptr<const triage::screening_engine>& engine) const {
  scripts::risk_change r{.seen = stored, .added = added, .stats_day = stats_day};
  if (added.empty()) return r;
  triage::conversation_risk risk(engine);
  for (const auto& c : stored) risk.add_category(c);
  for (const auto& c : added) risk.add_category(c);
  r.level = risk.level();
  return r;
}

asio::awaitable<std::string> conversation_store::answer(const conversation& current, const new_answer& a,
                                                        std::shared_ptr<const triage::screening_engine> engine) {
  scripts::answer_args args{.id = current.id,
                            .question_id = a.question_id,
                            .answer_json = json::serialize(a.answer),
                            .next_question = a.next_question,
                            .now_ms = now_ms(),
                            .boosts_json = boosts_json(),
                            .risk = risk_after(current.categories, a.categories, current.stats_day, engine),
                            .flags_json = json::serialize(a.flags)};
  for (int attempt = 1;; ++attempt) {
    auto r = co_await redis_.run(scripts::answer(args));
    if (r.as_string() != "stale") co_return r.as_string();
    if (attempt == max_risk_attempts) throw protocol_error("conflict", "the conversation changed; please resend");
    args.risk = risk_after(co_await stored_categories(current.id), a.categories, current.stats_day, engine);
  }
}

asio::awaitable<conversation_store::appended> conversation_store::add_visitor_message(
    const std::string& id, const visitor_message& m, screening_state before,
    std::shared_ptr<const triage::screening_engine> engine) {
  scripts::visitor_message_args args{.id = id,
                                     .client_id = m.client_id,
                                     .text = m.text,
                                     .now_ms = now_ms(),
                                     .flags_json = m.flags.empty() ? "" : json::serialize(m.flags),
                                     .cues_json = m.cues.empty() ? "" : json::serialize(m.cues),
                                     .screening_context = m.screening_context,
                                     .max_messages = static_cast<long long>(config_.limits.max_messages_per_conversation),
                                     .boosts_json = boosts_json(),
                                     .risk = risk_after(before.categories, m.categories, before.stats_day, engine)};
  for (int attempt = 1;; ++attempt) {
    auto r = co_await redis_.run(scripts::visitor_message(args));
    const auto& a = r.as_array();
    const long long status = a.at(0).as_integer();
    if (status != 2) co_return appended{status == 1, a.at(1).as_integer()};
    if (attempt == max_risk_attempts) throw protocol_error("conflict", "the conversation changed; please resend");
    args.risk = risk_after(co_await stored_categories(id), m.categories, before.stats_day, engine);
  }
}

asio::awaitable<conversation_store::appended> conversation_store::add_advisor_message(const std::string& id,
                                                                                      const advisor_message& m) {
  script_call call = scripts::append_message(
      {.id = id,
       .sender_key = "a:" + m.advisor_id,
       .client_id = m.client_id,
       .from = "advisor",
       .name = m.name,
       .text = m.text,
       .now_ms = now_ms(),
       .card_json = m.card_json,
       // A note between colleagues can be left while the visitor waits or after the chat ended.
       .allowed_states = m.team ? "queued,offered,active,wrap_up" : "active",
       .max_messages = static_cast<long long>(config_.limits.max_messages_per_conversation),
       .advisor_id = m.advisor_id,
       .team = m.team});
  auto r = co_await redis_.run(std::move(call));
  const auto& a = r.as_array();
  co_return appended{a.at(0).as_integer() == 1, a.at(1).as_integer()};
}

asio::awaitable<conversation_store::appended> conversation_store::add_system_notice(const std::string& id,
                                                                                    const std::string& notice,
                                                                                    const std::string& text,
                                                                                    const std::string& client_id,
                                                                                    const std::string& name) {
  // Named, not a temporary inside co_await: GCC 12 destroys such temporaries twice.
  script_call call = scripts::append_message(
      {.id = id,
       .sender_key = "s",
       .client_id = client_id,
       .from = "system",
       .name = name,
       .text = text,
       .now_ms = now_ms(),
       .allowed_states = "queued,offered,active",
       .max_messages = static_cast<long long>(config_.limits.max_messages_per_conversation),
       .notice = notice});
  auto r = co_await redis_.run(std::move(call));
  const auto& a = r.as_array();
  co_return appended{a.at(0).as_integer() == 1, a.at(1).as_integer()};
}

asio::awaitable<std::vector<stored_message>> conversation_store::messages_after(const std::string& id,
                                                                                long long after_seq,
                                                                                std::size_t limit) {
  auto r = co_await redis_.call("XRANGE", keys::messages(id), str(after_seq + 1) + "-0", "+", "COUNT", str(static_cast<long long>(limit)));
  std::vector<stored_message> out;
  for (const auto& entry : r.as_array()) {
    const auto& parts = entry.as_array();
    stored_message m;
    const std::string& entry_id = parts.at(0).as_string();
    m.seq = std::stoll(entry_id.substr(0, entry_id.find('-')));
    const auto& kv = parts.at(1).as_array();
    for (std::size_t i = 0; i + 1 < kv.size(); i += 2) {
      const std::string& k = kv[i].str;
      const std::string& v = kv[i + 1].str;
      if (k == "card" || k == "flags" || k == "cues") {
        json::error_code ec;
        json::value parsed = json::parse(v, ec);
        if (!ec) m.fields[k] = parsed.is_object() && parsed.as_object().empty() ? json::value(json::array()) : parsed;
      } else if (k == "ts") {
        m.fields[k] = std::stoll(v);
      } else {
        m.fields[k] = v;
      }
    }
    out.push_back(std::move(m));
  }
  co_return out;
}

asio::awaitable<long long> conversation_store::accept(const std::string& id, const std::string& advisor,
                                                      const std::string& name, int capacity) {
  script_call call =
      scripts::accept({.id = id, .advisor = advisor, .name = name, .now_ms = now_ms(), .capacity = capacity});
  auto r = co_await redis_.run(std::move(call));
  co_return r.as_integer();
}

asio::awaitable<void> conversation_store::decline(const std::string& advisor, const std::string& id,
                                                  const std::string& reason) {
  script_call call = scripts::decline({.advisor = advisor, .reason = reason, .id = id});
  co_await redis_.run(std::move(call));
}

asio::awaitable<void> conversation_store::advisor_offline(const std::string& advisor) {
  script_call call = scripts::advisor_offline({.advisor = advisor});
  co_await redis_.run(std::move(call));
}

asio::awaitable<std::string> conversation_store::end(const std::string& id, const std::string& by,
                                                     const std::string& advisor, bool supervisor,
                                                     const std::string& reason) {
  script_call call = scripts::end_conversation({.id = id,
                                                          .by = by,
                                                          .advisor = advisor,
                                                          .supervisor = supervisor,
                                                          .now_ms = now_ms(),
                                                          .retention_s = retention_seconds(config_),
                                                          .reason = reason});
  auto r = co_await redis_.run(std::move(call));
  co_return r.as_string();
}

asio::awaitable<void> conversation_store::wrap_up(const std::string& id, const std::string& advisor, bool supervisor,
                                                  const json::object& wrapup) {
  script_call call = scripts::wrap_up({.id = id,
                                        .advisor = advisor,
                                        .supervisor = supervisor,
                                        .wrapup_json = json::serialize(wrapup),
                                        .now_ms = now_ms(),
                                        .retention_s = retention_seconds(config_)});
  co_await redis_.run(std::move(call));
}

asio::awaitable<void> conversation_store::transfer(const std::string& id, const std::string& from, bool supervisor,
                                                   const std::string& to, const std::string& note) {
  script_call call = scripts::transfer(
      {.id = id, .from = from, .supervisor = supervisor, .to = to, .note = note, .now_ms = now_ms()});
  co_await redis_.run(std::move(call));
}

asio::awaitable<void> conversation_store::take_over(const std::string& id, const std::string& supervisor,
                                                    const std::string& name) {
  script_call call = scripts::take_over({.id = id, .supervisor = supervisor, .name = name, .now_ms = now_ms()});
  co_await redis_.run(std::move(call));
}

asio::awaitable<std::string> conversation_store::case_record(const std::string& what, const std::string& id,
                                                             const std::string& argument, const std::string& by,
                                                             const std::string& by_name) {
  script_call call = scripts::case_record(
      {.what = what, .id = id, .argument = argument, .by = by, .by_name = by_name, .now_ms = now_ms()});
  auto r = co_await redis_.run(std::move(call));
  co_return r.as_string();
}

asio::awaitable<void> conversation_store::typing(const std::string& id, const std::string& from, bool active) {
  json::object ev{{"kind", "typing"}, {"conv", id}, {"from", from}, {"active", active}};
  co_await redis_.publish(json::serialize(ev));
}

asio::awaitable<void> conversation_store::watch(const std::string& id, const std::string& advisor) {
  co_await redis_.call("SADD", keys::watchers(id), advisor);
}

asio::awaitable<void> conversation_store::touch_visitors(const std::vector<std::string>& ids) {
  if (ids.empty()) co_return;
  std::vector<std::vector<std::string>> cmds;
  std::string now = str(now_ms());
  for (const auto& id : ids) {
    // Only conversations a local visitor socket is in (dropped from the list once ended).
    cmds.push_back({"HSET", keys::conversation(id), "visitor_seen_at", now});
  }
  co_await redis_.pipeline(std::move(cmds));
}

asio::awaitable<long long> conversation_store::route(bool sweep, const std::string& today) {
  const auto& r = config_.routing;
  auto ms = [](auto d) { return static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()); };
  script_call call = scripts::route({.now_ms = now_ms(),
                                                   .offer_ms = ms(r.offer_timeout),
                                                   .skill_ms = ms(r.skill_wait),
                                                   .alive_ms = ms(advisor_alive),
                                                   .abandon_ms = ms(r.abandon_after),
                                                   .scan = 200,
                                                   .sweep = sweep,
                                                   .retention_s = retention_seconds(config_),
                                                   .today = today,
                                                   .visitor_alive_ms = ms(visitor_alive)});
  auto reply = co_await redis_.run(std::move(call));
  co_return reply.as_integer();
}

asio::awaitable<std::string> conversation_store::visitor_presence(const std::string& id, bool seen) {
  auto ms = [](auto d) { return static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()); };
  script_call call = scripts::visitor_presence({.id = id,
                                                .seen = seen,
                                                .now_ms = now_ms(),
                                                .alive_ms = ms(visitor_alive),
                                                .gone_ms = ms(config_.routing.abandon_after)});
  auto r = co_await redis_.run(std::move(call));
  co_return r.as_string();
}

asio::awaitable<std::vector<conversation>> conversation_store::load_many(const std::vector<std::string>& ids) {
  std::vector<conversation> out;
  if (ids.empty()) co_return out;
  std::vector<std::vector<std::string>> cmds;
  cmds.reserve(ids.size());
  for (const auto& id : ids) cmds.push_back({"HGETALL", keys::conversation(id)});
  auto replies = co_await redis_.pipeline(std::move(cmds));
  for (const auto& r : replies) out.push_back(conversation::from_record(redis_call::to_record(r)));
  co_return out;
}

asio::awaitable<std::vector<conversation>> conversation_store::queue(std::size_t limit) {
  auto ids = strings_of(co_await redis_.call("ZRANGE", keys::queue, "0", str(static_cast<long long>(limit) - 1)));
  auto all = co_await load_many(ids);
  std::vector<conversation> out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (!all[i].exists()) continue;
    all[i].id = ids[i];
    out.push_back(std::move(all[i]));
  }
  co_return out;
}

asio::awaitable<std::vector<conversation_store::waiting>> conversation_store::whole_queue() {
  auto ids = strings_of(co_await redis_.call("ZRANGE", keys::queue, "0", "-1"));
  std::vector<waiting> out;
  if (ids.empty()) co_return out;
  std::vector<std::vector<std::string>> cmds;
  cmds.reserve(ids.size());
  for (const auto& id : ids) cmds.push_back({"HMGET", keys::conversation(id), "state", "level", "presence"});
  auto replies = co_await redis_.pipeline(std::move(cmds));
  out.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size() && i < replies.size(); ++i) {
    const auto& f = replies[i].as_array();
    if (f.size() < 3 || f[0].is_nil()) continue;  // gone between the two reads
    out.push_back({ids[i], f[1].is_nil() ? std::string() : f[1].str, f[2].is_nil() ? std::string() : f[2].str});
  }
  co_return out;
}

asio::awaitable<std::vector<std::string>> conversation_store::live_ids() {
  co_return strings_of(co_await redis_.call("SMEMBERS", keys::live));
}

asio::awaitable<std::vector<std::string>> conversation_store::advisor_conversations(const std::string& advisor) {
  co_return strings_of(co_await redis_.call("SMEMBERS", keys::advisor_conversations(advisor)));
}

asio::awaitable<std::vector<std::string>> conversation_store::advisor_offers(const std::string& advisor) {
  co_return strings_of(co_await redis_.call("SMEMBERS", keys::advisor_offers(advisor)));
}

asio::awaitable<std::vector<long long>> conversation_store::recent_handle_times_ms() {
  std::vector<long long> out;
  for (const auto& e : strings_of(co_await redis_.call("LRANGE", keys::handle_times, "0", "49"))) {
    out.push_back(std::stoll(e));
  }
  co_return out;
}

}  // namespace helpline
