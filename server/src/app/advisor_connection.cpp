#include "app/advisor_connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>

#include "app/advisor_routes.hpp"
#include "app/app_services.hpp"
#include "app/json_fields.hpp"
#include "app/protocol_error.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;
using json_fields::now_ms;

namespace {

constexpr std::size_t max_followed = 50;  // conversations one console follows (supervisors join many)

}  // namespace

// The one place a request's type and the account's role are checked (docs/protocol.md, "Errors").
asio::awaitable<void> advisor_connection::handle(const std::string& type, const json::object& request) {
  const auto* route = advisor_routes().find(type);
  if (!route) throw protocol_error("unknown_type", "unknown message type");
  if (route->minimum != advisor_access::anyone) {
    if (!me_) throw protocol_error("not_authenticated", "log in first");
    if (access_of(me_->user_role) < route->minimum) throw protocol_error("forbidden", "your role does not allow this");
  }
  co_await route->handle(*this, request);
}

asio::awaitable<void> advisor_connection::send_pending_offers() {
  auto offers = co_await app_.conversations().advisor_offers(me_->id);
  for (const auto& conv : offers) co_await send_offer(conv);
}

asio::awaitable<void> advisor_connection::send_offer(std::string conversation) {
  helpline::conversation c = co_await app_.conversations().load(conversation);
  if (!c.exists() || c.state != "offered" || c.offered_to != me_->id) co_return;
  send({{"type", "offer"},
        {"conversation", c.summary_json(now_ms())},
        {"expires_in", std::max(0LL, (c.offer_expires_at - now_ms() + 999) / 1000)}});
}

asio::awaitable<json::object> advisor_connection::conversation_payload(const std::string& conversation) {
  helpline::conversation c = co_await app_.conversations().load(conversation);
  if (!c.exists()) throw protocol_error("not_found", "no such conversation");
  json::object o = c.summary_json(now_ms());
  json::array messages, flags, cues;
  long long after = 0;
  while (true) {
    auto batch = co_await app_.conversations().messages_after(conversation, after);
    for (const auto& m : batch) {
      messages.push_back(render_message(conversation, m.seq, m.fields));
      for (const char* k : {"flags", "cues"}) {
        const auto* list = m.fields.if_contains(k);
        if (!list || !list->is_array()) continue;
        for (const auto& f : list->as_array()) {
          json::object e = f.as_object();
          e["seq"] = m.seq;
          (std::string_view(k) == "flags" ? flags : cues).push_back(std::move(e));
        }
      }
      after = m.seq;
    }
    if (batch.size() < 500) break;
  }
  // Flags from free-text screening answers, with the question they answered.
  if (const auto* answers = o.if_contains("answers"); answers && answers->is_array()) {
    for (const auto& a : answers->as_array()) {
      const auto* f = a.is_object() ? a.as_object().if_contains("flags") : nullptr;
      if (!f || !f->is_array()) continue;
      for (const auto& flag : f->as_array()) {
        json::object e = flag.as_object();
        e["question_id"] = a.as_object().at("question_id");
        flags.push_back(std::move(e));
      }
    }
  }
  o["messages"] = std::move(messages);
  o["flags"] = std::move(flags);
  o["cues"] = std::move(cues);
  co_return o;
}

void advisor_connection::follow(const std::string& conversation, long long last_seq) {
  if (!has_feed(conversation) && feed_count() >= max_followed) {
    throw protocol_error("limit_reached", "this console follows too many conversations");
  }
  app_.sessions().add_watcher(conversation, shared_from_this());
  open_feed(conversation, last_seq);
}

void advisor_connection::unfollow(const std::string& conversation) {
  app_.sessions().remove_watcher(conversation, this);
  close_feed(conversation);
}

bool advisor_connection::may_see(const std::string& conversation) const {
  return me_ && (me_->is_supervisor() || has_feed(conversation));
}

json::object advisor_connection::render_message(const std::string& conversation, long long seq,
                                                const json::object& fields) const {
  json::object m{{"type", "message"}, {"conversation_id", conversation}, {"seq", seq}};
  for (const char* k : {"from", "name", "text", "ts", "client_id", "card", "flags", "cues", "notice"}) {
    if (const auto* v = fields.if_contains(k)) m[k] = *v;
  }
  if (fields.contains("team")) m["team"] = true;
  return m;
}

void advisor_connection::on_event(const json::object& event) {
  if (!me_) return;
  std::string_view kind = event.at("kind").as_string();
  std::string conv = event.contains("conv") ? std::string(event.at("conv").as_string()) : std::string();
  auto advisor_is_me = [&] {
    const auto* a = event.if_contains("advisor");
    return a && a->is_string() && a->as_string() == me_->id;
  };
  if (kind == "msg") {
    deliver_message(conv, event.at("seq").to_number<long long>(), event);
  } else if (kind == "typing") {
    if (event.at("from").as_string() == "visitor" && has_feed(conv)) {
      send({{"type", "typing"}, {"conversation_id", conv}, {"from", "visitor"}, {"active", event.at("active")}});
    }
  } else if (kind == "offer") {
    if (advisor_is_me()) {
      asio::co_spawn(session_->executor(), [self = shared_from_this(), conv]() -> asio::awaitable<void> {
        try {
          co_await self->send_offer(conv);
        } catch (const std::exception&) {
          // Redis away: the offer times out and moves on; the advisor is not left with a ghost.
        }
      }, asio::detached);
    }
  } else if (kind == "offer_withdrawn") {
    if (advisor_is_me()) {
      send({{"type", "offer_withdrawn"}, {"conversation_id", conv}, {"reason", event.at("reason")}});
    }
  } else if (kind == "ended") {
    if (has_feed(conv)) {
      json::object e{{"type", "ended"}, {"conversation_id", conv}, {"by", event.at("by")}};
      if (const auto* reason = event.if_contains("reason")) e["reason"] = *reason;
      send(std::move(e));
    }
    if (me_->is_supervisor()) {
      send({{"type", "conversation_update"}, {"conversation_id", conv}, {"state", event.at("state")}});
    }
  } else if (kind == "closed") {
    if (has_feed(conv)) unfollow(conv);
    if (me_->is_supervisor()) send({{"type", "conversation_update"}, {"conversation_id", conv}, {"state", "closed"}});
  } else if (kind == "joined" && event.contains("from") && event.at("from").is_string() &&
             event.at("from").as_string() == me_->id && !advisor_is_me()) {
    // A supervisor took this conversation over: it is no longer ours.
    unfollow(conv);
    send({{"type", "taken_over"}, {"conversation_id", conv},
          {"by", {{"id", event.at("advisor")}, {"name", event.at("name")}}}});
  } else if (kind == "joined" || kind == "transfer") {
    if (me_->is_supervisor()) {
      json::object u{{"type", "conversation_update"}, {"conversation_id", conv},
                     {"state", kind == "joined" ? "active" : "queued"}};
      if (kind == "joined") u["advisor"] = {{"id", event.at("advisor")}, {"name", event.at("name")}};
      send(u);
    }
  } else if (kind == "risk") {
    if (may_see(conv)) {
      send({{"type", "risk"}, {"conversation_id", conv}, {"level", event.at("level")},
            {"categories", event.at("categories")}, {"flags", event.at("flags")}});
    }
  } else if (kind == "alert") {
    if (me_->is_supervisor()) {
      send({{"type", "alert"}, {"conversation_id", conv}, {"level", event.at("level")},
            {"categories", event.at("categories")},
            {"advisor", event.at("advisor").as_string().empty()
                            ? json::value(nullptr)
                            : json::value(json::object{{"id", event.at("advisor")}, {"name", event.at("advisor_name")}})},
            {"ts", event.at("ts")}});
    }
  } else if (kind == "presence") {
    // The visitor left or came back: their advisor and the supervisors see it on the conversation.
    if (may_see(conv)) {
      send({{"type", "conversation_update"}, {"conversation_id", conv}, {"presence", event.at("presence")}});
    }
  } else if (kind == "callbacks_changed") {
    send({{"type", "callbacks_changed"}});
  } else if (kind == "plan") {
    if (may_see(conv)) send({{"type", "plan"}, {"conversation_id", conv}, {"plan", event.at("plan")}});
  } else if (kind == "disclosure") {
    if (may_see(conv)) {
      send({{"type", "disclosure_recorded"}, {"conversation_id", conv}, {"disclosure", event.at("disclosure")}});
    }
  }
}

void advisor_connection::post_queue_snapshot(std::shared_ptr<const json::object> snapshot) {
  asio::post(session_->executor(), [self = shared_from_this(), snapshot = std::move(snapshot)] {
    if (!self->me_) return;
    if (self->last_snapshot_ && *self->last_snapshot_ == *snapshot) return;
    self->last_snapshot_ = snapshot;
    self->send(*snapshot);
  });
}

void advisor_connection::resync() {
  client_connection::resync();
  if (!me_) return;
  asio::co_spawn(session_->executor(), [self = shared_from_this()]() -> asio::awaitable<void> {
    try {
      co_await self->send_pending_offers();
    } catch (const std::exception&) {
    }
  }, asio::detached);
}

void advisor_connection::on_close() {
  if (!me_) return;
  std::string advisor = me_->id;
  for (const auto& conv : followed()) unfollow(conv);
  std::size_t left = app_.sessions().remove_advisor(advisor, this);
  if (left > 0) return;
  // The advisor's last console here: pending offers move on at once.
  asio::co_spawn(session_->executor(), [&app = app_, advisor]() -> asio::awaitable<void> {
    try {
      co_await app.conversations().advisor_offline(advisor);
    } catch (const std::exception&) {
      // Redis away: the router's heartbeat check takes the advisor offline within 15 s.
    }
  }, asio::detached);
}

}  // namespace helpline
