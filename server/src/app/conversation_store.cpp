#include "app/conversation_store.hpp"

#include <boost/json.hpp>

#include "app/ids.hpp"
#include "app/json_fields.hpp"
#include "app/redis_scripts.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;
using json_fields::now_ms;

namespace {
constexpr auto resume_ttl_seconds = 24 * 3600;  // a conversation can be resumed for a day
std::string str(long long n) { return std::to_string(n); }
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
  co_await redis_.run(redis_scripts::get().create_conversation, c.id, ids::token_hash(c.resume_token), std::string(caller_type), std::string(lang),
                        str(now_ms()), std::string(first_question), str(resume_ttl_seconds));
  co_return c;
}

asio::awaitable<std::optional<std::string>> conversation_store::find_by_resume_token(const std::string& token) {
  auto r = co_await redis_.call("GET", "hl:resume:" + ids::token_hash(token));
  co_return r.as_optional_string();
}

asio::awaitable<record> conversation_store::load(const std::string& id) {
  co_return co_await redis_.hgetall("hl:conv:" + id);
}

asio::awaitable<std::string> conversation_store::answer(const std::string& id, const std::string& question_id,
                                                        const json::object& answer,
                                                        const std::string& next_question) {
  auto r = co_await redis_.run(redis_scripts::get().answer, id, question_id, json::serialize(answer), next_question, str(now_ms()), boosts_json());
  co_return r.as_string();
}

asio::awaitable<std::vector<std::string>> conversation_store::add_categories(
    const std::string& id, const std::vector<std::string>& categories) {
  json::array a;
  for (const auto& c : categories) a.emplace_back(c);
  auto r = co_await redis_.run(redis_scripts::get().add_categories, id, json::serialize(a));
  std::vector<std::string> out;
  json::value all = json::parse(r.as_string());
  if (all.is_array()) {
    for (const auto& c : all.as_array()) {
      if (c.is_string()) out.emplace_back(c.as_string());
    }
  }
  co_return out;
}

asio::awaitable<bool> conversation_store::raise_level(const std::string& id, triage::risk_level level,
                                                      const std::vector<std::string>& categories,
                                                      const json::array& new_flags) {
  json::array cats;
  for (const auto& c : categories) cats.emplace_back(c);
  auto old = co_await redis_.run(redis_scripts::get().set_level, id, std::string(triage::to_string(level)), str(static_cast<int>(level)), boosts_json(),
                        json::serialize(cats), json::serialize(new_flags), str(now_ms()));
  co_return old.as_integer() < static_cast<int>(level);
}

asio::awaitable<triage::screening_context> conversation_store::screening_context(const std::string& id) {
  auto r = co_await redis_.call("HGET", "hl:conv:" + id, "screening_ctx");
  co_return r.type == redis::reply::kind::string ? triage::screening_context::parse(r.as_string())
                                                : triage::screening_context{};
}

asio::awaitable<conversation_store::appended> conversation_store::append(const std::string& id,
                                                                         const new_message& m) {
  auto r = co_await redis_.run(redis_scripts::get().append_message, id, m.sender_key, m.client_id, m.from, m.name, m.text, str(now_ms()), m.card_json, m.flags_json, m.cues_json,
       m.allowed_states, str(static_cast<long long>(config_.limits.max_messages_per_conversation)), m.advisor_id,
       m.screening_context);
  const auto& a = r.as_array();
  co_return appended{a.at(0).as_integer() == 1, a.at(1).as_integer()};
}

asio::awaitable<std::vector<stored_message>> conversation_store::messages_after(const std::string& id,
                                                                                long long after_seq,
                                                                                std::size_t limit) {
  auto r = co_await redis_.call("XRANGE", "hl:conv:" + id + ":msgs", str(after_seq + 1) + "-0", "+", "COUNT", str(static_cast<long long>(limit)));
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
  auto r = co_await redis_.run(redis_scripts::get().accept, id, advisor, name, str(now_ms()), str(capacity));
  co_return r.as_integer();
}

asio::awaitable<void> conversation_store::decline(const std::string& advisor, const std::string& id,
                                                  const std::string& reason) {
  co_await redis_.run(redis_scripts::get().decline, advisor, reason, id);
}

asio::awaitable<void> conversation_store::advisor_offline(const std::string& advisor) {
  co_await redis_.run(redis_scripts::get().advisor_offline, advisor);
}

asio::awaitable<std::string> conversation_store::end(const std::string& id, const std::string& by,
                                                     const std::string& advisor, bool supervisor) {
  auto r = co_await redis_.run(redis_scripts::get().end_conversation, id, by, advisor, supervisor ? "1" : "0", str(now_ms()),
                                 str(std::chrono::duration_cast<std::chrono::seconds>(config_.retention).count()));
  co_return r.as_string();
}

asio::awaitable<void> conversation_store::wrap_up(const std::string& id, const std::string& advisor, bool supervisor,
                                                  const json::object& wrapup) {
  co_await redis_.run(redis_scripts::get().wrap_up, id, advisor, supervisor ? "1" : "0", json::serialize(wrapup), str(now_ms()),
                        str(std::chrono::duration_cast<std::chrono::seconds>(config_.retention).count()));
}

asio::awaitable<void> conversation_store::transfer(const std::string& id, const std::string& from, bool supervisor,
                                                   const std::string& to, const std::string& note) {
  co_await redis_.run(redis_scripts::get().transfer, id, from, supervisor ? "1" : "0", to, note, str(now_ms()));
}

asio::awaitable<void> conversation_store::watch(const std::string& id, const std::string& advisor) {
  co_await redis_.call("SADD", "hl:conv:" + id + ":watchers", advisor);
}

asio::awaitable<void> conversation_store::touch_visitors(const std::vector<std::string>& ids) {
  if (ids.empty()) co_return;
  std::vector<std::vector<std::string>> cmds;
  std::string now = str(now_ms());
  for (const auto& id : ids) {
    // Only conversations a local visitor socket is in (dropped from the list once ended).
    cmds.push_back({"HSET", "hl:conv:" + id, "visitor_seen_at", now});
  }
  co_await redis_.pipeline(std::move(cmds));
}

asio::awaitable<long long> conversation_store::route(bool sweep, const std::string& today) {
  const auto& r = config_.routing;
  auto ms = [](auto d) { return str(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()); };
  auto reply = co_await redis_.run(redis_scripts::get().route, str(now_ms()), ms(r.offer_timeout), ms(r.skill_wait), ms(advisor_alive), ms(r.abandon_after), "200", sweep ? "1" : "0",
       str(std::chrono::duration_cast<std::chrono::seconds>(config_.retention).count()), today);
  co_return reply.as_integer();
}

asio::awaitable<std::vector<record>> conversation_store::load_many(const std::vector<std::string>& ids) {
  std::vector<record> out;
  if (ids.empty()) co_return out;
  std::vector<std::vector<std::string>> cmds;
  cmds.reserve(ids.size());
  for (const auto& id : ids) cmds.push_back({"HGETALL", "hl:conv:" + id});
  auto replies = co_await redis_.pipeline(std::move(cmds));
  for (const auto& r : replies) out.push_back(redis_call::to_record(r));
  co_return out;
}

asio::awaitable<std::vector<queue_entry>> conversation_store::queue(std::size_t limit) {
  auto ids = co_await redis_.call("ZRANGE", "hl:queue", "0", str(static_cast<long long>(limit) - 1));
  std::vector<std::string> list;
  for (const auto& e : ids.as_array()) list.push_back(e.str);
  auto recs = co_await load_many(list);
  std::vector<queue_entry> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!recs[i].empty()) out.push_back({list[i], std::move(recs[i])});
  }
  co_return out;
}

asio::awaitable<std::vector<std::string>> conversation_store::live_ids() {
  std::vector<std::string> out;
  auto members = co_await redis_.call("SMEMBERS", "hl:live");
  for (const auto& e : members.as_array()) out.push_back(e.str);
  co_return out;
}

asio::awaitable<std::vector<std::string>> conversation_store::advisor_conversations(const std::string& advisor) {
  std::vector<std::string> out;
  auto members = co_await redis_.call("SMEMBERS", "hl:advisor:" + advisor + ":convs");
  for (const auto& e : members.as_array()) {
    out.push_back(e.str);
  }
  co_return out;
}

asio::awaitable<std::vector<std::string>> conversation_store::advisor_offers(const std::string& advisor) {
  std::vector<std::string> out;
  auto members = co_await redis_.call("SMEMBERS", "hl:advisor:" + advisor + ":offers");
  for (const auto& e : members.as_array()) {
    out.push_back(e.str);
  }
  co_return out;
}

asio::awaitable<std::vector<long long>> conversation_store::recent_handle_times_ms() {
  std::vector<long long> out;
  auto recent = co_await redis_.call("LRANGE", "hl:stats:handle_ms", "0", "49");
  for (const auto& e : recent.as_array()) {
    out.push_back(std::stoll(e.str));
  }
  co_return out;
}

}  // namespace helpline
