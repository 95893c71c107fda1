#include "app/advisor_connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <set>

#include "app/helpline_app.hpp"
#include "app/ids.hpp"
#include "app/json_fields.hpp"
#include "app/protocol_error.hpp"
#include "net/log.hpp"
#include "triage/caller_type.hpp"
#include "triage/content_error.hpp"
#include "triage/programme_matcher.hpp"
#include "triage/screening_json.hpp"
#include "triage/taxonomy.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;
using json_fields::now_ms;

namespace {

constexpr std::size_t max_followed = 50;  // conversations one console follows (supervisors join many)

const std::set<std::string> wrap_outcomes{"information_given", "referred", "callback_arranged",
                                          "safeguarding_escalated", "disconnected", "other"};
const std::set<std::string> wrap_actions{"none", "police_called", "ambulance_called", "children_services_referral",
                                         "marac_referral", "safeguarding_lead_informed", "supervisor_consulted"};

// Requests beyond the version-1 core, by the lowest role that may use them; `logged_in.features`
// lists those the account's role has.
const std::vector<std::pair<std::string, role>>& extra_requests() {
  static const std::vector<std::pair<std::string, role>> list{
      {"content", role::advisor},        {"programmes", role::advisor},     {"plan", role::advisor},
      {"disclosure_record", role::advisor}, {"advisors", role::advisor},  {"plan_confirm", role::supervisor},
      {"stats", role::supervisor},       {"users", role::admin},            {"user_add", role::admin},
      {"user_update", role::admin},      {"content_reload", role::admin},   {"hours_get", role::admin},
      {"hours_set", role::admin},        {"directory", role::admin},        {"take_over", role::supervisor}};
  return list;
}

void require_role(const account& me, role needed) {
  if (me.user_role < needed) throw protocol_error("forbidden", "your role does not allow this");
}

std::string text_field(const json::object& request, std::string_view name, std::size_t max_bytes) {
  return json_fields::required_string(request, name, max_bytes);
}

std::string conversation_id(const json::object& request) {
  return json_fields::required_string(request, "conversation_id", 64);
}

}  // namespace

asio::awaitable<void> advisor_connection::handle(const std::string& type, const json::object& request) {
  if (type == "ping") {
    send(reply({{"type", "pong"}, {"ts", now_ms()}}));
    co_return;
  }
  if (type == "login") co_return co_await on_login(request);
  static const std::set<std::string> known{
      "presence", "accept", "decline", "message", "typing", "transfer", "join", "end", "wrap_up", "queue",
      "conversations", "history", "programmes", "callbacks", "callback_claim", "callback_outcome", "callback_release",
      "content", "plan", "plan_confirm", "disclosure_record", "advisors", "stats", "users", "user_add",
      "user_update", "content_reload", "hours_get", "hours_set", "take_over"};
  if (!known.count(type)) throw protocol_error("unknown_type", "unknown message type");
  if (!me_) throw protocol_error("not_authenticated", "log in first");
  const account& me = *me_;

  if (type == "presence") co_return co_await on_presence(request);
  if (type == "accept") co_return co_await on_accept(conversation_id(request));
  if (type == "decline") {
    co_await app_.conversations().decline(me.id, conversation_id(request), "declined");
    send(reply({{"type", "declined"}, {"conversation_id", conversation_id(request)}}));
    co_return;
  }
  if (type == "message") co_return co_await on_message(conversation_id(request), request);
  if (type == "typing") {
    std::string conv = conversation_id(request);
    bool active = json_fields::required_bool(request, "active");
    if (!has_feed(conv)) throw protocol_error("forbidden", "not in this conversation");
    co_await app_.conversations().typing(conv, "advisor", active);
    co_return;
  }
  if (type == "transfer") co_return co_await on_transfer(conversation_id(request), request);
  if (type == "join") co_return co_await on_join(conversation_id(request));
  if (type == "end") {
    std::string conv = conversation_id(request);
    co_await app_.conversations().end(conv, "advisor", me.id, me.is_supervisor());
    send(reply({{"type", "ended"}, {"conversation_id", conv}, {"by", "advisor"}}));
    co_return;
  }
  if (type == "wrap_up") co_return co_await on_wrap_up(conversation_id(request), request);
  if (type == "queue") {
    send(reply(app_.queue().advisor_snapshot()));
    co_return;
  }
  if (type == "conversations") co_return co_await on_conversations();
  if (type == "history") co_return co_await on_history(conversation_id(request), request);
  if (type == "programmes") co_return co_await on_programmes(request);
  if (type.rfind("callback", 0) == 0) co_return co_await on_callback(type, request);
  for (const auto& [name, needed] : extra_requests()) {
    if (name == type) require_role(me, needed);
  }
  if (type == "content") co_return on_content(request);
  if (type == "plan" || type == "plan_confirm" || type == "disclosure_record") {
    co_return co_await on_case_record(type, conversation_id(request), request);
  }
  if (type == "advisors") co_return co_await on_advisors();
  if (type == "stats") co_return co_await on_stats(request);
  if (type == "take_over") {
    std::string conv = conversation_id(request);
    co_await app_.conversations().take_over(conv, me.id, me.name);
    net::log::get("app")->info("connection {}: {} took over {}", id(), me.id, conv);
    co_return co_await on_join(conv);
  }
  co_return co_await on_admin(type, request);
}

asio::awaitable<void> advisor_connection::on_login(const json::object& request) {
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
              {"features", [&] {
                 json::array f;
                 for (const auto& [name, needed] : extra_requests()) {
                   if (who.user_role >= needed) f.emplace_back(name);
                 }
                 return f;
               }()}}));
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

asio::awaitable<void> advisor_connection::on_presence(const json::object& request) {
  std::string status = json_fields::required_string(request, "status", 16);
  if (status != "available" && status != "away") throw protocol_error("bad_request", "status must be available or away");
  co_await app_.advisors().set_presence(me_->id, status);
  if (status == "away") co_await app_.conversations().decline(me_->id, "", "away");
  co_await app_.events().queue_changed();
  send(reply({{"type", "presence"}, {"status", status}}));
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

asio::awaitable<void> advisor_connection::on_accept(const std::string& conversation) {
  long long waited = co_await app_.conversations().accept(conversation, me_->id, me_->name, me_->capacity);
  app_.metrics().conversation_accepted(static_cast<double>(waited) / 1000.0);
  co_await app_.stats().accepted(waited);
  json::object payload = co_await conversation_payload(conversation);
  follow(conversation, payload.at("last_seq").as_int64());
  send(reply({{"type", "conversation"}, {"conversation", std::move(payload)}}));
}

asio::awaitable<void> advisor_connection::on_join(const std::string& conversation) {
  if (!me_->is_supervisor()) throw protocol_error("forbidden", "only supervisors can join a conversation");
  json::object payload = co_await conversation_payload(conversation);
  co_await app_.conversations().watch(conversation, me_->id);
  follow(conversation, payload.at("last_seq").as_int64());
  net::log::get("app")->info("connection {}: supervisor {} joined {}", id(), me_->id, conversation);
  send(reply({{"type", "conversation"}, {"conversation", std::move(payload)}}));
}

asio::awaitable<void> advisor_connection::on_message(const std::string& conversation, const json::object& request) {
  std::string cid = json_fields::client_id(request);
  const auto* text_v = request.if_contains("text");
  if (!text_v || !text_v->is_string() || text_v->as_string().empty()) {
    throw protocol_error("bad_request", "text is required");
  }
  if (text_v->as_string().size() > app_.config().limits.max_text_bytes) throw protocol_error("too_long", "text is too long");
  conversation_store::advisor_message m;
  m.advisor_id = me_->id;
  m.client_id = cid;
  m.name = me_->name;
  m.text = std::string(text_v->as_string());
  if (const auto* card = request.if_contains("card"); card && !card->is_null()) {
    if (!card->is_object()) throw protocol_error("bad_request", "card must be an object");
    m.card_json = json::serialize(*card);
    if (m.card_json.size() > 4096) throw protocol_error("too_long", "card is larger than 4096 bytes");
  }
  auto stored = co_await app_.conversations().add_advisor_message(conversation, m);
  if (!stored.duplicate) app_.metrics().message_stored("advisor");
  send(reply({{"type", "ack"}, {"conversation_id", conversation}, {"client_id", cid}, {"seq", stored.seq}}));
}

asio::awaitable<void> advisor_connection::on_transfer(const std::string& conversation, const json::object& request) {
  std::string to = json_fields::required_string(request, "to", 64);
  std::string note = json_fields::optional_string(request, "note", 2000).value_or("");
  if (to != "supervisor") {
    if (to == me_->id) throw protocol_error("bad_request", "to must be another advisor");
    if (!co_await app_.accounts().find(to)) throw protocol_error("not_found", "no such advisor");
  }
  co_await app_.conversations().transfer(conversation, me_->id, me_->is_supervisor(), to, note);
  unfollow(conversation);
  send(reply({{"type", "transferred"}, {"conversation_id", conversation}}));
}

asio::awaitable<void> advisor_connection::on_wrap_up(const std::string& conversation, const json::object& request) {
  std::string caller_type = json_fields::required_string(request, "caller_type", 32);
  if (!triage::parse_caller_type(caller_type)) throw protocol_error("bad_request", "caller_type is not known");
  std::string outcome = json_fields::required_string(request, "outcome", 32);
  if (!wrap_outcomes.count(outcome)) throw protocol_error("bad_request", "outcome is not known");
  bool referral = json_fields::required_bool(request, "referral_made");
  auto actions = json_fields::required_strings(request, "actions", 10, 40);
  json::array actions_json;
  for (const auto& a : actions) {
    if (!wrap_actions.count(a)) throw protocol_error("bad_request", "actions: unknown action " + a);
    actions_json.emplace_back(a);
  }
  json::object wrapup{{"caller_type", caller_type}, {"outcome", outcome}, {"referral_made", referral},
                      {"actions", std::move(actions_json)}, {"by", me_->id}, {"at", now_ms()},
                      {"notes", json_fields::optional_string(request, "notes", 4000).value_or("")}};
  if (auto p = json_fields::optional_string(request, "referral_programme_type", 40)) wrapup["referral_programme_type"] = *p;
  co_await app_.conversations().wrap_up(conversation, me_->id, me_->is_supervisor(), wrapup);
  if (referral) {
    co_await app_.stats().referral(json_fields::optional_string(request, "referral_programme_type", 40).value_or(""));
  }
  unfollow(conversation);
  send(reply({{"type", "wrapped_up"}, {"conversation_id", conversation}}));
}

asio::awaitable<void> advisor_connection::on_conversations() {
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

asio::awaitable<void> advisor_connection::on_history(const std::string& conversation, const json::object& request) {
  long long after = std::max(0LL, json_fields::optional_int(request, "after_seq").value_or(0));
  if (!may_see(conversation)) {
    helpline::conversation c = co_await app_.conversations().load(conversation);
    if (!c.exists()) throw protocol_error("not_found", "no such conversation");
    if (c.advisor != me_->id) throw protocol_error("forbidden", "not your conversation");
  }
  auto batch = co_await app_.conversations().messages_after(conversation, after, 1000);
  json::array messages;
  for (const auto& m : batch) messages.push_back(render_message(conversation, m.seq, m.fields));
  send(reply({{"type", "history"}, {"conversation_id", conversation}, {"messages", std::move(messages)}}));
}

asio::awaitable<void> advisor_connection::on_programmes(const json::object& request) {
  triage::programme_need need;
  need.location = json_fields::required_string(request, "location", 16);
  need.level = triage::parse_risk_level(json_fields::optional_string(request, "level", 16).value_or("none"))
                   .value_or(triage::risk_level::none);
  need.lang = json_fields::optional_string(request, "lang", 16).value_or(app_.config().default_language);
  need.gender = json_fields::optional_string(request, "gender", 32).value_or("");
  need.relationship = json_fields::optional_string(request, "relationship", 32).value_or("");
  if (const auto* o = request.if_contains("one_to_one"); o && o->is_bool()) need.one_to_one = o->as_bool();
  const auto content = app_.content();
  json::array out;
  try {
    for (const auto& s : triage::match_programmes(*content->directory, *content->postcodes, need, 5)) {
      out.push_back(triage::to_json(s));
    }
  } catch (const triage::unknown_location&) {
    throw protocol_error("not_found", "unknown location; give a UK postcode, district or area");
  }
  send(reply({{"type", "programmes"}, {"suggestions", std::move(out)}}));
  co_return;
}

asio::awaitable<void> advisor_connection::on_callback(const std::string& type, const json::object& request) {
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

json::object advisor_connection::render_message(const std::string& conversation, long long seq,
                                                const json::object& fields) const {
  json::object m{{"type", "message"}, {"conversation_id", conversation}, {"seq", seq}};
  for (const char* k : {"from", "name", "text", "ts", "client_id", "card", "flags", "cues"}) {
    if (const auto* v = fields.if_contains(k)) m[k] = *v;
  }
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
    if (has_feed(conv)) send({{"type", "ended"}, {"conversation_id", conv}, {"by", event.at("by")}});
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

void advisor_connection::on_content(const json::object& request) {
  const auto content = app_.content();
  std::string lang = json_fields::optional_string(request, "lang", 16).value_or(app_.config().default_language);
  if (!content->engine->has_language(lang)) lang = app_.config().default_language;
  json::object cue_responses;
  for (const auto cue : triage::taxonomy_cues) {
    json::array texts;
    for (const auto& r : content->engine->cue_responses(cue, lang)) texts.emplace_back(r.text);
    cue_responses[cue] = std::move(texts);
  }
  json::array canned;
  for (const auto& r : content->canned->of(lang)) {
    json::array types;
    for (const auto& t : r.caller_types) types.emplace_back(t);
    canned.push_back({{"id", r.id}, {"title", r.title}, {"text", r.text}, {"caller_types", std::move(types)}});
  }
  send(reply({{"type", "content"}, {"lang", lang}, {"taxonomy", triage::taxonomy_json(*content->engine, lang)},
              {"cue_responses", std::move(cue_responses)},
              {"canned", std::move(canned)}}));
}

asio::awaitable<void> advisor_connection::on_case_record(const std::string& type, const std::string& conversation,
                                                         const json::object& request) {
  // Everything required is checked before anything is stored.
  std::string what, argument;
  if (type == "plan") {
    json::object plan{{"id", ids::random_id("p_")}, {"text", text_field(request, "plan", 2000)}, {"acted_first", false}};
    if (const auto* a = request.if_contains("acted_first"); a && a->is_bool()) plan["acted_first"] = a->as_bool();
    what = "plan";
    argument = json::serialize(plan);
  } else if (type == "plan_confirm") {
    require_role(*me_, role::supervisor);
    what = "confirm";
    argument = text_field(request, "plan_id", 64);
  } else {
    json::object d{{"id", ids::random_id("d_")},
                   {"decided_by", text_field(request, "decided_by", 2000)},
                   {"reason", text_field(request, "reason", 2000)},
                   {"shared_with", text_field(request, "shared_with", 2000)}};
    what = "disclosure";
    argument = json::serialize(d);
  }
  if (!me_->is_supervisor() && !has_feed(conversation)) {
    throw protocol_error("forbidden", "only the conversation's advisor or a supervisor can record this");
  }
  auto stored = co_await app_.conversations().case_record(what, conversation, argument, me_->id, me_->name);
  json::value record = json::parse(stored);
  // Never logged with its text: who did what is enough to find it.
  net::log::get("app")->info("connection {}: {} recorded {} on {}", id(), me_->id, what, conversation);
  if (type == "disclosure_record") {
    send(reply({{"type", "disclosure_recorded"}, {"conversation_id", conversation}, {"disclosure", std::move(record)}}));
  } else {
    send(reply({{"type", "plan"}, {"conversation_id", conversation}, {"plan", std::move(record)}}));
  }
}

asio::awaitable<void> advisor_connection::on_advisors() {
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
    if (me_->is_supervisor()) {
      json::array convs, offers, types;
      for (const auto& c : statuses[i].conversations) convs.emplace_back(c);
      for (const auto& c : statuses[i].offers) offers.emplace_back(c);
      for (const auto& t : a.caller_types) types.emplace_back(t);
      o["caller_types"] = std::move(types);
      o["capacity"] = a.capacity;
      o["load"] = convs.size();
      o["conversations"] = std::move(convs);
      o["offers"] = std::move(offers);
    }
    out.push_back(std::move(o));
  }
  send(reply({{"type", "advisors"}, {"advisors", std::move(out)}}));
}

asio::awaitable<void> advisor_connection::on_stats(const json::object& request) {
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

asio::awaitable<void> advisor_connection::on_admin(const std::string& type, const json::object& request) {
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
