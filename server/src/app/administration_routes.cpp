#include "app/administration_routes.hpp"

#include <boost/json.hpp>

#include "app/advisor_connection.hpp"
#include "app/app_services.hpp"
#include "app/json_fields.hpp"
#include "app/protocol_error.hpp"
#include "net/log.hpp"
#include "triage/content_error.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;

void administration_routes::add_to(advisor_route_table& table) {
  for (const char* type : {"users", "user_add", "user_update", "hours_get", "hours_set", "content_reload"}) {
    table.add<&administration_routes::admin>(type, advisor_access::admin);
  }
  // GET/PUT /api/admin/directory (helpline_app::directory_api checks the role itself).
  table.add_feature("directory", advisor_access::admin);
}

asio::awaitable<void> administration_routes::admin(const json::object& request) {
  const std::string type = type_of(request);
  co_return co_await on_admin(type, request);
}

asio::awaitable<void> administration_routes::on_admin(const std::string& type, const json::object& request) {
  if (type == "users") {
    json::array users;
    for (const auto& a : co_await app_.accounts().list()) users.push_back(a.to_json());
    send(reply({{"type", "users"}, {"users", std::move(users)}}));
  } else if (type == "user_add") {
    account a;
    a.id = json_fields::required_string(request, "username", 64);
    a.name = json_fields::required_string(request, "name", 80);
    auto r = parse_role(json_fields::required_string(request, "role", 16));
    if (!r) throw protocol_error("bad_request", "role must be advisor, supervisor or admin");
    a.user_role = *r;
    a.languages = json_fields::required_strings(request, "languages", 20, 16);
    if (request.contains("caller_types")) a.caller_types = json_fields::required_strings(request, "caller_types", 4, 32);
    a.capacity = static_cast<int>(json_fields::optional_int(request, "capacity").value_or(2));
    std::string password = json_fields::required_string(request, "password", 1024);
    account created = co_await app_.accounts().add(std::move(a), std::move(password));
    net::log::get("app")->info("connection {}: {} added user {}", id(), me_->id, created.id);
    send(reply({{"type", "user"}, {"user", created.to_json()}}));
  } else if (type == "user_update") {
    std::string username = json_fields::required_string(request, "username", 64);
    // Nobody locks the helpline out of its own administration: an admin cannot disable or demote
    // themselves, and the last enabled admin stays one.
    const auto* disable = request.if_contains("disabled");
    const bool disabling = disable && disable->is_bool() && disable->as_bool();
    const auto new_role = json_fields::optional_string(request, "role", 16);
    const bool demoting = new_role && *new_role != "admin";
    if ((disabling || demoting) && username == me_->id) {
      throw protocol_error("forbidden", "you cannot disable your own account or give up your own admin role");
    }
    if (disabling || demoting) {
      const auto accounts = co_await app_.accounts().list();
      std::size_t admins = 0;
      bool target_is_admin = false;
      for (const auto& a : accounts) {
        if (a.user_role == role::admin && !a.disabled) {
          ++admins;
          if (a.id == username) target_is_admin = true;
        }
      }
      if (target_is_admin && admins <= 1) {
        throw protocol_error("conflict", "this is the last administrator: make someone else an administrator first");
      }
    }
    account updated = co_await app_.accounts().update(username, request);
    net::log::get("app")->info("connection {}: {} updated user {}", id(), me_->id, updated.id);
    send(reply({{"type", "user"}, {"user", updated.to_json()}}));
  } else if (type == "hours_get" || type == "hours_set") {
    if (type == "hours_set") {
      const auto* hours = request.if_contains("hours");
      if (!hours) throw protocol_error("bad_request", "hours is required");
      co_await app_.set_hours(*hours);
    }
    send(reply({{"type", "hours"},
                {"hours", app_.hours().config_json()},
                {"status", app_.hours().to_json(std::chrono::system_clock::now())}}));
  } else if (type == "content_reload") {
    std::string what = json_fields::required_string(request, "what", 16);
    if (what != "all" && what != "screening" && what != "risk" && what != "cues" && what != "directory") {
      throw protocol_error("bad_request", "what must be all, screening, risk, cues or directory");
    }
    try {
      const auto content = app_.reload_content();  // everything is reloaded together, validated first
      json::array langs;
      for (const auto& l : content->engine->languages()) langs.emplace_back(l);
      net::log::get("app")->info("connection {}: {} reloaded content", id(), me_->id);
      // Every other node reloads too: they share the content folder (or a copy deployed with it).
      co_await app_.events().content_reload(app_.config().node_id);
      send(reply({{"type", "content_reloaded"}, {"what", "all"}, {"languages", std::move(langs)},
                  {"programmes", content->directory->programmes().size()}}));
    } catch (const triage::content_error& e) {
      throw protocol_error("bad_request", std::string("content not reloaded: ") + e.what());
    }
  }
  co_return;
}

}  // namespace helpline
