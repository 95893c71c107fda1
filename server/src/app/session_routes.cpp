#include "app/session_routes.hpp"

#include <boost/json.hpp>

#include "app/advisor_connection.hpp"
#include "app/app_services.hpp"
#include "app/json_fields.hpp"
#include "app/protocol_error.hpp"
#include "app/queue_tracker.hpp"
#include "net/log.hpp"
#include "triage/screening_json.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;
using json_fields::now_ms;

void session_routes::add_to(advisor_route_table& table) {
  table.add<&session_routes::on_ping>("ping", advisor_access::anyone);
  table.add<&session_routes::on_login>("login", advisor_access::anyone);
  table.add<&session_routes::on_presence>("presence", advisor_access::advisor);
  table.add<&session_routes::on_queue>("queue", advisor_access::advisor);
  table.add<&session_routes::on_conversations>("conversations", advisor_access::advisor);
}

asio::awaitable<void> session_routes::on_ping(const json::object&) {
  send(reply({{"type", "pong"}, {"ts", now_ms()}}));
  co_return;
}

asio::awaitable<void> session_routes::on_login(const json::object& request) {
  if (me_) throw protocol_error("wrong_state", "already logged in");
  account_store::login_result result;
  bool with_token = request.contains("token");
  if (with_token) {
    result = co_await app_.accounts().login_with_token(json_fields::required_string(request, "token", 128));
  } else {
    std::string user = json_fields::required_string(request, "username", 64);
    std::string password = json_fields::required_string(request, "password", 1024);
    result = co_await app_.accounts().login_with_password(user, password);
  }
  const account& who = result.who;
  const std::string presence = co_await app_.advisors().sign_in(who, with_token);
  me_ = who;
  app_.sessions().add_advisor(who.id, shared_from_this());
  net::log::get("app")->info("connection {}: {} logged in as {}", id(), who.id, to_string(who.user_role));

  // The taxonomy travels with the login (labels in the console's language): the console keeps none.
  std::string ui_lang = json_fields::optional_string(request, "lang", 16).value_or(app_.config().default_language);
  if (!app_.content()->engine->has_language(ui_lang)) ui_lang = app_.config().default_language;
  send(reply({{"type", "logged_in"},
              {"taxonomy", triage::taxonomy_json(*app_.content()->engine, ui_lang)},
              {"token", result.token},
              {"expires_at", result.expires_at},
              {"advisor", who.to_json()},
              {"presence", presence},
              {"emergency_guidance", app_.config().emergency_guidance},
              {"limits", {{"max_text_chars", app_.config().limits.max_text_chars}}},
              {"features", advisor_features(who.user_role)}}));
  // Follow the conversations this advisor is in; the console asks for `history` of each.
  auto mine = co_await app_.conversations().advisor_conversations(who.id);
  auto records = co_await app_.conversations().load_many(mine);
  for (const auto& rec : records) {
    if (rec.exists()) follow(rec.id, rec.last_seq);
  }
  send(app_.queue().advisor_snapshot());
  co_await send_pending_offers();
  app_.queue().changed();
}

asio::awaitable<void> session_routes::on_presence(const json::object& request) {
  std::string status = json_fields::required_string(request, "status", 16);
  if (status != "available" && status != "away") throw protocol_error("bad_request", "status must be available or away");
  co_await app_.advisors().set_presence(me_->id, status);
  if (status == "away") co_await app_.conversations().decline(me_->id, "", "away");
  co_await app_.events().queue_changed();
  send(reply({{"type", "presence"}, {"status", status}}));
}

asio::awaitable<void> session_routes::on_queue(const json::object&) {
  send(reply(app_.queue().advisor_snapshot()));
  co_return;
}

asio::awaitable<void> session_routes::on_conversations(const json::object&) {
  // Not a conditional expression: GCC 12 mis-destroys temporaries of a co_await inside ?:.
  std::vector<std::string> ids;
  if (me_->is_supervisor()) {
    ids = co_await app_.conversations().live_ids();
  } else {
    ids = co_await app_.conversations().advisor_conversations(me_->id);
  }
  json::array list;
  auto records = co_await app_.conversations().load_many(ids);
  for (const auto& rec : records) {
    if (rec.exists()) list.push_back(rec.summary_json(now_ms()));
  }
  send(reply({{"type", "conversations"}, {"conversations", std::move(list)}}));
}

}  // namespace helpline
