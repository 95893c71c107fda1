#include "app/advisor_store.hpp"

#include "app/conversation_store.hpp"
#include "app/json_fields.hpp"
#include "app/keys.hpp"

namespace helpline {
namespace asio = boost::asio;

namespace {
std::string now_text() { return std::to_string(json_fields::now_ms()); }
long long alive_since() { return json_fields::now_ms() - advisor_alive.count(); }
}  // namespace

asio::awaitable<std::string> advisor_store::sign_in(const account& who, bool keep_presence) {
  std::string presence = "away";
  if (keep_presence) {
    auto current = (co_await redis_.call("HGET", keys::advisor(who.id), "presence")).as_optional_string();
    if (current == "available") presence = "available";
  }
  std::vector<std::string> profile{"HSET", keys::advisor(who.id)};
  for (auto& f : who.profile_fields()) profile.push_back(std::move(f));
  profile.insert(profile.end(), {"presence", presence});
  std::vector<std::vector<std::string>> cmds{std::move(profile),
                                             {"ZADD", keys::advisors_online, now_text(), who.id}};
  co_await redis_.pipeline(std::move(cmds));
  co_return presence;
}

asio::awaitable<void> advisor_store::set_presence(const std::string& advisor, const std::string& presence) {
  std::vector<std::vector<std::string>> cmds{{"HSET", keys::advisor(advisor), "presence", presence},
                                             {"ZADD", keys::advisors_online, now_text(), advisor}};
  co_await redis_.pipeline(std::move(cmds));
}

asio::awaitable<void> advisor_store::heartbeat(const std::vector<std::string>& advisors) {
  if (advisors.empty()) co_return;
  const std::string now = now_text();
  std::vector<std::vector<std::string>> cmds;
  for (const auto& id : advisors) cmds.push_back({"ZADD", keys::advisors_online, now, id});
  co_await redis_.pipeline(std::move(cmds));
}

asio::awaitable<std::vector<advisor_status>> advisor_store::statuses(const std::vector<account>& accounts) {
  std::vector<advisor_status> out;
  if (accounts.empty()) co_return out;
  std::vector<std::vector<std::string>> cmds;
  for (const auto& a : accounts) {
    cmds.push_back({"HGET", keys::advisor(a.id), "presence"});
    cmds.push_back({"ZSCORE", keys::advisors_online, a.id});
    cmds.push_back({"SMEMBERS", keys::advisor_conversations(a.id)});
    cmds.push_back({"SMEMBERS", keys::advisor_offers(a.id)});
  }
  auto replies = co_await redis_.pipeline(std::move(cmds));
  const long long since = alive_since();
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    advisor_status s;
    s.id = accounts[i].id;
    s.capacity = accounts[i].capacity;
    s.presence = replies[4 * i].as_optional_string().value_or("away");
    const auto& seen = replies[4 * i + 1];
    s.online = !seen.is_nil() && std::stoll(seen.str) >= since;
    for (const auto& c : replies[4 * i + 2].as_array()) s.conversations.push_back(c.str);
    for (const auto& c : replies[4 * i + 3].as_array()) s.offers.push_back(c.str);
    out.push_back(std::move(s));
  }
  co_return out;
}

asio::awaitable<std::vector<advisor_status>> advisor_store::available() {
  std::vector<advisor_status> out;
  auto online = co_await redis_.call("ZRANGEBYSCORE", keys::advisors_online, std::to_string(alive_since()), "+inf");
  std::vector<std::vector<std::string>> cmds;
  for (const auto& a : online.as_array()) cmds.push_back({"HMGET", keys::advisor(a.str), "presence", "capacity"});
  if (cmds.empty()) co_return out;
  auto replies = co_await redis_.pipeline(std::move(cmds));
  const auto& ids = online.as_array();
  for (std::size_t i = 0; i < replies.size(); ++i) {
    const auto& f = replies[i].as_array();
    if (f.size() != 2 || f[0].str != "available") continue;
    advisor_status s;
    s.id = ids[i].str;
    s.presence = "available";
    s.online = true;
    s.capacity = f[1].str.empty() ? 1 : static_cast<int>(std::max(1LL, std::stoll(f[1].str)));
    out.push_back(std::move(s));
  }
  co_return out;
}

}  // namespace helpline
