#include "app/supervision_routes.hpp"

#include <boost/json.hpp>

#include "app/advisor_connection.hpp"
#include "app/app_services.hpp"
#include "app/json_fields.hpp"
#include "app/protocol_error.hpp"
#include "net/log.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;
using json_fields::now_ms;

void supervision_routes::add_to(advisor_route_table& table) {
  table.add<&supervision_routes::join>("join", advisor_access::supervisor);
  table.add<&supervision_routes::take_over>("take_over", advisor_access::supervisor);
  table.add<&supervision_routes::on_advisors>("advisors", advisor_access::advisor);
  table.add<&supervision_routes::on_stats>("stats", advisor_access::supervisor);
}

asio::awaitable<void> supervision_routes::join(const json::object& request) {
  co_return co_await on_join(conversation_id(request));
}

asio::awaitable<void> supervision_routes::take_over(const json::object& request) {
  const account& me = *me_;
  std::string conv = conversation_id(request);
  co_await app_.conversations().take_over(conv, me.id, me.name);
  net::log::get("app")->info("connection {}: {} took over {}", id(), me.id, conv);
  co_return co_await on_join(conv);
}

asio::awaitable<void> supervision_routes::on_join(const std::string& conversation) {
  if (!me_->is_supervisor()) throw protocol_error("forbidden", "only supervisors can join a conversation");
  json::object payload = co_await conversation_payload(conversation);
  co_await app_.conversations().watch(conversation, me_->id);
  const auto* holder = payload.if_contains("advisor");
  const bool mine = holder && holder->is_object() && holder->as_object().at("id").as_string() == me_->id;
  if (app_.config().tell_visitor_when_supervisor_joins && payload.at("state").as_string() == "active" && !mine) {
    // The helpline's policy says visitors know who is reading. Once per supervisor and
    // conversation (the client id makes a second join a no-op).
    const std::string notice = "supervisor_joined";
    const std::string text = "A supervisor has joined the conversation to support the advisor.";
    const std::string client_id = "join-" + me_->id;
    co_await app_.conversations().add_system_notice(conversation, notice, text, client_id);
  }
  follow(conversation, payload.at("last_seq").as_int64());
  net::log::get("app")->info("connection {}: supervisor {} joined {}", id(), me_->id, conversation);
  send(reply({{"type", "conversation"}, {"conversation", std::move(payload)}}));
}

asio::awaitable<void> supervision_routes::on_advisors(const json::object&) {
  auto accounts = co_await app_.accounts().list();
  auto statuses = co_await app_.advisors().statuses(accounts);
  json::array out;
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    const auto& a = accounts[i];
    if (a.disabled) continue;
    std::string presence = statuses[i].online ? statuses[i].presence : "offline";
    json::object o{{"id", a.id}, {"name", a.name}, {"role", to_string(a.user_role)}, {"presence", presence}};
    json::array langs;
    for (const auto& l : a.languages) langs.emplace_back(l);
    o["languages"] = std::move(langs);
    // Everyone picking a colleague for a transfer sees how busy they are; which conversations
    // they hold stays with supervisors.
    o["capacity"] = a.capacity;
    o["load"] = statuses[i].conversations.size();
    if (me_->is_supervisor()) {
      json::array convs, offers, types;
      for (const auto& c : statuses[i].conversations) convs.emplace_back(c);
      for (const auto& c : statuses[i].offers) offers.emplace_back(c);
      for (const auto& t : a.caller_types) types.emplace_back(t);
      o["caller_types"] = std::move(types);
      o["conversations"] = std::move(convs);
      o["offers"] = std::move(offers);
    }
    out.push_back(std::move(o));
  }
  send(reply({{"type", "advisors"}, {"advisors", std::move(out)}}));
}

asio::awaitable<void> supervision_routes::on_stats(const json::object& request) {
  auto& stats = app_.stats();
  std::string to = json_fields::optional_string(request, "to", 10).value_or(stats.today());
  std::string from = json_fields::optional_string(request, "from", 10).value_or("");
  if (from.empty()) {
    from = app_.hours().local_date(std::chrono::system_clock::now() - std::chrono::hours(24 * 27));
  }
  json::object report = co_await stats.report(from, to);
  report["type"] = "stats";
  send(reply(std::move(report)));
}

}  // namespace helpline
