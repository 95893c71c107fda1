#include "app/client_connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "app/app_services.hpp"
#include "app/json_fields.hpp"
#include "app/protocol_error.hpp"
#include "net/log.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;

client_connection::client_connection(app_services& app, std::shared_ptr<net::websocket_session> session)
    : app_(app), session_(std::move(session)) {}

void client_connection::send(const json::object& frame) {
  session_->send(std::make_shared<const std::string>(json::serialize(frame)));
}

json::object client_connection::reply(json::object frame) const {
  if (!current_ref_.is_null()) frame["ref"] = current_ref_;
  return frame;
}

void client_connection::send_error(const std::string& code, const std::string& message) {
  app_.metrics().error(code);
  send(reply({{"type", "error"}, {"code", code}, {"message", message}}));
}

asio::awaitable<void> client_connection::on_text(std::string text) {
  current_ref_ = nullptr;
  json::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) {
    send_error("bad_json", "each frame must be one JSON object");
    co_return;
  }
  const json::object& request = v.as_object();
  if (json_fields::top_level_member_count(text) != request.size()) {
    send_error("bad_request", "a key appears twice in this frame");
    co_return;
  }
  if (const auto* r = request.if_contains("ref")) {
    if (!((r->is_string() && r->as_string().size() <= 64) || r->is_number())) {
      send_error("bad_request", "ref must be a number or a string of at most 64 characters");
      co_return;
    }
    current_ref_ = *r;
  }
  const auto* type = request.if_contains("type");
  if (!type || !type->is_string()) {
    send_error("bad_request", "type is required");
    co_return;
  }
  std::string t(type->as_string());
  try {
    co_await handle(t, request);
  } catch (const protocol_error& e) {
    send_error(e.code(), e.what());
  } catch (const std::exception& e) {
    // Logged without message content: the type and the exception only.
    net::log::get("app")->error("connection {}: {} failed: {}", id(), t, e.what());
    send_error("internal", "the server could not handle this request");
  }
  current_ref_ = nullptr;
}

void client_connection::post_event(std::shared_ptr<const json::object> event) {
  asio::post(session_->executor(), [self = self(), event = std::move(event)] { self->on_event(*event); });
}

void client_connection::post_resync() {
  asio::post(session_->executor(), [self = self()] { self->resync(); });
}

void client_connection::resync() {
  for (auto& [conv, f] : feeds_) start_catch_up(conv);
}

void client_connection::open_feed(const std::string& conversation, long long last_seq) {
  auto& f = feeds_[conversation];
  f.last_sent = std::max(f.last_sent, last_seq);
  start_catch_up(conversation);
}

std::vector<std::string> client_connection::followed() const {
  std::vector<std::string> out;
  for (const auto& [conv, f] : feeds_) out.push_back(conv);
  return out;
}

void client_connection::close_feed(const std::string& conversation) { feeds_.erase(conversation); }

void client_connection::deliver_message(const std::string& conversation, long long seq, const json::object& fields) {
  auto it = feeds_.find(conversation);
  if (it == feeds_.end()) return;
  feed& f = it->second;
  if (seq <= f.last_sent) return;  // already delivered (e.g. by a catch-up)
  if (!f.catching_up && seq == f.last_sent + 1) {
    if (auto m = render_message(conversation, seq, fields); !m.empty()) send(std::move(m));
    f.last_sent = seq;
    app_.metrics().message_delivered();
    return;
  }
  f.wanted = std::max(f.wanted, seq);
  start_catch_up(conversation);  // a gap: fill it from the stream
}

void client_connection::start_catch_up(const std::string& conversation) {
  auto it = feeds_.find(conversation);
  if (it == feeds_.end() || it->second.catching_up) return;
  it->second.catching_up = true;
  asio::co_spawn(session_->executor(), [self = self(), conversation]() { return self->catch_up(conversation); },
                 asio::detached);
}

asio::awaitable<void> client_connection::catch_up(std::string conversation) {
  bool failed = false;
  while (true) {
    auto it = feeds_.find(conversation);
    if (it == feeds_.end()) co_return;
    long long after = it->second.last_sent;
    std::vector<stored_message> batch;
    try {
      batch = co_await app_.conversations().messages_after(conversation, after);
    } catch (const std::exception&) {
      failed = true;  // Redis away: the next event or resync tries again
    }
    it = feeds_.find(conversation);
    if (it == feeds_.end()) co_return;
    feed& f = it->second;
    for (const auto& m : batch) {
      if (m.seq != f.last_sent + 1) continue;
      if (auto rendered = render_message(conversation, m.seq, m.fields); !rendered.empty()) send(std::move(rendered));
      f.last_sent = m.seq;
    }
    if (failed || batch.empty() || (batch.size() < 500 && f.wanted <= f.last_sent)) {
      f.catching_up = false;
      co_return;
    }
  }
}

}  // namespace helpline
