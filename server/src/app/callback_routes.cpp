#include "app/callback_routes.hpp"

#include <boost/json.hpp>

#include "app/advisor_connection.hpp"
#include "app/app_services.hpp"
#include "app/json_fields.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;

void callback_routes::add_to(advisor_route_table& table) {
  for (const char* type : {"callbacks", "callback_claim", "callback_outcome", "callback_release"}) {
    table.add<&callback_routes::callback>(type, advisor_access::advisor);
  }
}

asio::awaitable<void> callback_routes::callback(const json::object& request) {
  const std::string type = type_of(request);
  co_return co_await on_callback(type, request);
}

asio::awaitable<void> callback_routes::on_callback(const std::string& type, const json::object& request) {
  auto& callbacks = app_.callbacks();
  if (type == "callbacks") {
    json::array due = co_await callbacks.due(std::chrono::hours(24));
    send(reply({{"type", "callbacks"}, {"callbacks", std::move(due)}}));
    co_return;
  }
  std::string id = json_fields::required_string(request, "callback_id", 64);
  json::object cb;
  if (type == "callback_claim") {
    cb = co_await callbacks.claim(id, me_->id);
  } else if (type == "callback_release") {
    cb = co_await callbacks.release(id, me_->id);
  } else {
    cb = co_await callbacks.record_outcome(id, me_->id, json_fields::required_string(request, "outcome", 32),
                                           json_fields::optional_string(request, "notes", 2000).value_or(""),
                                           json_fields::optional_int(request, "reschedule_at"));
    co_await app_.stats().callback_attempt();
  }
  send(reply({{"type", "callback"}, {"callback", std::move(cb)}}));
}

}  // namespace helpline
