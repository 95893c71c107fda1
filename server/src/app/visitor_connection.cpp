#include "app/visitor_connection.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/json.hpp>
#include <set>

#include "app/app_services.hpp"
#include "app/json_fields.hpp"
#include "app/protocol_error.hpp"
#include "app/queue_tracker.hpp"
#include "triage/screening_json.hpp"
#include "triage/caller_type.hpp"
#include "triage/risk_level.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;
using json_fields::now_ms;

const route_table<visitor_connection, visitor_connection::access>& visitor_connection::routes() {
  static const auto table = [] {
    route_table<visitor_connection, access> t;
    t.add<&visitor_connection::on_ping>("ping", access::anyone);
    t.add<&visitor_connection::on_hello>("hello", access::anyone);
    t.add<&visitor_connection::on_start>("start", access::after_hello);
    t.add<&visitor_connection::on_answer>("answer", access::after_hello);
    t.add<&visitor_connection::on_message>("message", access::after_hello);
    t.add<&visitor_connection::on_typing>("typing", access::after_hello);
    t.add<&visitor_connection::on_end>("end", access::after_hello);
    t.add<&visitor_connection::on_callback_request>("callback_request", access::after_hello);
    t.add<&visitor_connection::on_callback_cancel>("callback_cancel", access::after_hello);
    return t;
  }();
  return table;
}

// The one place a request's type and the connection's stage are checked.
asio::awaitable<void> visitor_connection::handle(const std::string& type, const json::object& request) {
  const auto* route = routes().find(type);
  if (!route) throw protocol_error("unknown_type", "unknown message type");
  if (route->minimum == access::after_hello && !hello_done_) throw protocol_error("wrong_state", "send hello first");
  co_await route->handle(*this, request);
}

asio::awaitable<void> visitor_connection::on_ping(const json::object&) {
  send(reply({{"type", "pong"}, {"ts", now_ms()}}));
  co_return;
}

asio::awaitable<void> visitor_connection::on_hello(const json::object& request) {
  if (hello_done_) throw protocol_error("wrong_state", "hello was already sent");
  if (auto v = json_fields::optional_int(request, "v"); v && *v != 1) {
    send_error("unsupported_version", "this server speaks protocol version 1");
    session_->close(1008, "unsupported version");
    co_return;
  }
  const auto content = app_.content();
  const auto& engine = *content->engine;
  lang_ = json_fields::optional_string(request, "lang", 16).value_or(app_.config().default_language);
  asked_lang_ = lang_;
  if (!engine.has_language(lang_)) lang_ = app_.config().default_language;

  auto now = std::chrono::system_clock::now();
  json::object welcome{{"type", "welcome"}, {"v", 1}};
  welcome["open"] = app_.hours().at(now).open;
  welcome["hours"] = app_.hours().to_json(now);
  json::array langs;
  for (const auto& l : engine.languages()) langs.emplace_back(l);
  welcome["languages"] = std::move(langs);
  // The widget counts as the server does (characters), so nothing that looks sent is refused.
  welcome["limits"] = {{"max_text_chars", app_.config().limits.max_text_chars}};
  welcome["conversation"] = nullptr;

  std::optional<long long> last_seq = json_fields::optional_int(request, "last_seq");
  conversation conv;
  if (auto token = json_fields::optional_string(request, "resume", 128)) {
    welcome["resume"] = "expired";
    if (auto id = co_await app_.conversations().find_by_resume_token(*token)) {
      conv = co_await app_.conversations().load(*id);
      if (conv.is_live()) {
        attach(*id, conv);
        // Back (a reload, a new network): connected again at once, offers possible again.
        conv.presence = co_await app_.conversations().visitor_presence(*id, true);
        welcome["resume"] = "ok";
        welcome["conversation"] = snapshot(conv);
        if (auto level = triage::parse_risk_level(conv.level)) safety_rank_sent_ = static_cast<int>(*level);
      }
    }
  }
  hello_done_ = true;
  send(reply(std::move(welcome)));
  if (!conversation_.empty()) {
    open_feed(conversation_, std::max(0LL, last_seq.value_or(0)));
    if (state_ == "queued" || state_ == "offered") app_.queue().changed();
  }
}

json::object visitor_connection::snapshot(const conversation& conv) const {
  json::object o{{"id", conv.id},
                 {"state", conv.state == "offered" ? "queued" : conv.state},
                 {"caller_type", conv.caller_type},
                 {"lang", conv.lang},
                 {"last_seq", conv.last_seq}};
  o["advisor"] = conv.advisor_name.empty() ? json::value(nullptr)
                                           : json::value(json::object{{"name", conv.advisor_name}});
  o["question"] = nullptr;
  if (conv.state == "screening" && script_) {
    if (const auto* q = script_->find(conv.question)) o["question"] = triage::to_json(*q);
  }
  o["queue"] = nullptr;
  if (auto p = app_.queue().position_of(conv.id)) o["queue"] = p->to_json();
  // A visitor who reloads after disclosing danger sees the urgent help again.
  o["safety"] = safety(conv.level);
  return o;
}

json::value visitor_connection::safety(std::string_view level) const {
  auto parsed = triage::parse_risk_level(level);
  if (!parsed || *parsed < triage::risk_level::high || !script_) return nullptr;
  json::array help;
  for (const auto& s : script_->urgent_help()) help.push_back(triage::to_json(s));
  return json::object{{"type", "safety"}, {"level", level}, {"urgent_help", std::move(help)}};
}

void visitor_connection::send_safety_if_raised(std::string_view level) {
  auto parsed = triage::parse_risk_level(level);
  if (!parsed) return;
  int rank = static_cast<int>(*parsed);
  if (rank <= safety_rank_sent_) return;
  auto frame = safety(level);
  if (frame.is_null()) return;
  safety_rank_sent_ = rank;
  send(std::move(frame.as_object()));
}

void visitor_connection::attach(const std::string& conversation, const helpline::conversation& conv) {
  conversation_ = conversation;
  state_ = conv.state;
  auto type = triage::parse_caller_type(conv.caller_type).value_or(triage::caller_type::own_behaviour);
  if (!conv.lang.empty()) lang_ = conv.lang;
  scripts_ = app_.content()->scripts;
  script_ = &scripts_->find(type, conv.visitor_lang.empty() ? lang_ : conv.visitor_lang);
  app_.sessions().add_visitor(conversation_, shared_from_this());
}

void visitor_connection::detach() {
  if (conversation_.empty()) return;
  app_.sessions().remove_visitor(conversation_, this);
  close_feed(conversation_);
  conversation_.clear();
  script_ = nullptr;
  last_queue_.reset();
}

void visitor_connection::require_conversation() const {
  if (conversation_.empty()) throw protocol_error("wrong_state", "no conversation: send start first");
}

asio::awaitable<void> visitor_connection::on_start(const json::object& request) {
  if (!conversation_.empty()) throw protocol_error("wrong_state", "this connection already has a conversation");
  std::string type_id = json_fields::required_string(request, "caller_type", 32);
  auto type = triage::parse_caller_type(type_id);
  if (!type) throw protocol_error("bad_request", "caller_type must be own_behaviour, professional, friend_family or experiencing_abuse");
  if (auto lang = json_fields::optional_string(request, "lang", 16)) {
    asked_lang_ = *lang;
    if (app_.content()->engine->has_language(*lang)) lang_ = *lang;
  }
  auto status = app_.hours().at(std::chrono::system_clock::now());
  if (!status.open) {
    throw protocol_error("line_closed", "the helpline is closed now; a callback can be requested");
  }
  // The visitor's language has no screening pack: messages are screened with lang_'s phrases
  // only, so advisors must be told not to rely on the automatic flags. The questions are still
  // asked in the visitor's language when the scripts have it (Arabic, say).
  std::string asked;
  if (asked_lang_ != lang_) {
    for (char ch : asked_lang_) {
      if ((ch >= 'a' && ch <= 'z') || ch == '-') asked += ch;
    }
  }
  const auto scripts = app_.content()->scripts;
  const auto& script = scripts->find(*type, asked.empty() ? lang_ : asked);
  auto created = co_await app_.conversations().create(type_id, lang_, script.first().id);
  conversation conv;
  conv.id = created.id;
  conv.state = "screening";
  conv.caller_type = type_id;
  conv.lang = lang_;
  conv.visitor_lang = asked;
  attach(created.id, conv);
  if (!asked.empty()) co_await app_.conversations().set_visitor_lang(created.id, asked);
  app_.metrics().conversation_started(type_id);
  co_await app_.stats().conversation_started(created.id, type_id);

  json::array services;
  if (*type == triage::caller_type::experiencing_abuse) {
    for (const auto& s : script.services()) services.push_back(triage::to_json(s));
  }
  send(reply({{"type", "started"},
              {"conversation_id", created.id},
              {"resume_token", created.resume_token},
              {"state", "screening"},
              {"services", std::move(services)}}));
  send({{"type", "question"}, {"question", triage::to_json(script.first())}});
  open_feed(conversation_, 0);
}

asio::awaitable<void> visitor_connection::on_answer(const json::object& request) {
  require_conversation();
  if (state_ != "screening" || !script_) throw protocol_error("wrong_state", "screening is over");
  std::string qid = json_fields::required_string(request, "question_id", 64);
  // Empty is a valid free-text answer (the visitor skipped it); a choice must name an option.
  auto given = json_fields::optional_string(request, "value", triage::screening_script::max_free_text_bytes);
  if (!given) throw protocol_error("bad_request", "value is required");
  std::string value = std::move(*given);
  // Checked before anything is screened or stored (the answer script checks again, atomically).
  conversation conv = co_await app_.conversations().load(conversation_);
  if (conv.state != "screening" || conv.question != qid) {
    throw protocol_error("wrong_state", "that is not the pending question");
  }
  const auto* q = script_->find(qid);
  if (!q) throw protocol_error("wrong_state", "that is not the pending question");
  triage::script_step step;
  try {
    step = script_->answer(qid, value);
  } catch (const triage::invalid_answer& e) {
    throw protocol_error("bad_request", e.what());
  }
  std::vector<std::string> categories = step.categories;
  json::object answer{{"question_id", qid}, {"question", q->text}, {"value", value}};
  json::array flags;
  if (q->type == triage::script_question::kind::free_text) {
    auto screened = app_.content()->engine->screen(value, lang_);
    flags = flags_json(screened);
    for (const auto& c : flag_categories(screened)) {
      if (std::find(categories.begin(), categories.end(), c) == categories.end()) categories.push_back(c);
    }
    if (!flags.empty()) answer["flags"] = flags;
  } else {
    for (const auto& o : q->options) {
      if (o.value == value) answer["label"] = o.label;
    }
  }
  if (!step.categories.empty()) {
    json::array cats;
    for (const auto& c : step.categories) cats.emplace_back(c);
    answer["categories"] = std::move(cats);
  }
  // The answer, its categories and the level they make are stored by one script.
  conversation_store::new_answer recorded{.question_id = qid,
                                          .answer = std::move(answer),
                                          .next_question = step.next ? step.next->id : std::string(),
                                          .categories = std::move(categories),
                                          .flags = std::move(flags)};
  std::string result = co_await app_.conversations().answer(conv, recorded, app_.content()->engine);
  if (result == "next" && step.next) {
    send(reply({{"type", "question"}, {"question", triage::to_json(*step.next)}}));
  } else {
    state_ = "queued";
    app_.queue().changed();
  }
}

asio::awaitable<void> visitor_connection::on_message(const json::object& request) {
  require_conversation();
  std::string cid = json_fields::client_id(request);
  const auto* text_v = request.if_contains("text");
  if (!text_v || !text_v->is_string() || text_v->as_string().empty()) {
    throw protocol_error("bad_request", "text is required");
  }
  json_fields::check_text_length(text_v->as_string(), app_.config().limits.max_text_chars);
  std::string text(text_v->as_string());
  // Frames can be completed across messages ("I've got the knife" ... "outside hers now").
  auto before = co_await app_.conversations().screening(conversation_);
  const auto engine = app_.content()->engine;
  auto screened = engine->screen_in_conversation(text, lang_, before.context);

  // Stored, risk raised, queue re-scored and counted in one script: the ack below means all of it.
  conversation_store::visitor_message m;
  m.client_id = cid;
  m.text = std::move(text);
  m.flags = flags_json(screened);
  m.cues = cues_json(screened);
  m.categories = flag_categories(screened);
  m.screening_context = screened.context.empty() ? "-" : screened.context.serialise();
  auto stored = co_await app_.conversations().add_visitor_message(conversation_, m, std::move(before), engine);
  if (!stored.duplicate) app_.metrics().message_stored("visitor");
  send(reply({{"type", "ack"}, {"client_id", cid}, {"seq", stored.seq}}));
}

asio::awaitable<void> visitor_connection::on_typing(const json::object& request) {
  require_conversation();
  bool active = json_fields::required_bool(request, "active");
  if (state_ != "active") co_return;  // nobody to tell yet
  co_await app_.conversations().typing(conversation_, "visitor", active);
}

asio::awaitable<void> visitor_connection::on_end(const json::object& request) {
  require_conversation();
  // Quick exit: the visitor had to leave at once (someone came in). The advisor is told it was
  // that, not an ordinary goodbye, and nobody waits for them to come back.
  std::string reason = json_fields::optional_string(request, "reason", 32).value_or("");
  if (!reason.empty() && reason != "quick_exit") throw protocol_error("bad_request", "reason must be quick_exit");
  const std::string by = "visitor";
  const std::string no_advisor;
  std::string ended_as = co_await app_.conversations().end(conversation_, by, no_advisor, false, reason);
  if (ended_as == "abandoned") co_await app_.stats().abandoned();
  send(reply({{"type", "ended"}, {"by", "visitor"}}));
  state_ = "ended";
  detach();
}

asio::awaitable<void> visitor_connection::on_callback_request(const json::object& request) {
  if (callbacks_requested_ >= app_.config().limits.max_callbacks_per_connection) {
    throw protocol_error("limit_reached", "callbacks already requested on this connection");
  }
  auto req = callback_request::from_json(request, lang_);
  req.conversation_id = conversation_;
  if (req.caller_type.empty() && script_) req.caller_type = std::string(triage::to_string(script_->type()));
  auto stored = co_await app_.callbacks().create(req);
  ++callbacks_requested_;
  my_callbacks_.insert(std::string(stored["id"].as_string()));
  app_.metrics().callback_requested();
  // Named, not a ?: inside co_await: GCC 12 destroys such temporaries twice.
  std::string counted_type = req.caller_type;
  if (counted_type.empty()) counted_type = "unknown";
  co_await app_.stats().callback_requested(counted_type);
  std::string digits;
  for (char c : req.phone) {
    if (c >= '0' && c <= '9') digits += c;
  }
  send(reply({{"type", "callback_requested"},
              {"callback_id", stored["id"]},
              {"due_at", stored["due_at"]},
              {"safe_times", stored["safe_times"]},
              {"may_leave_message", req.may_leave_message},
              {"may_say_who_is_calling", req.may_say_who_is_calling},
              {"phone_last_digits", digits.substr(digits.size() - 3)}}));
}

asio::awaitable<void> visitor_connection::on_callback_cancel(const json::object& request) {
  // Only a request made on this connection: a callback id alone is not proof of who asked.
  std::string id = json_fields::required_string(request, "callback_id", 64);
  if (!my_callbacks_.contains(id)) throw protocol_error("not_found", "no such callback request on this connection");
  try {
    co_await app_.callbacks().cancel(id);
  } catch (const protocol_error& e) {
    if (e.code() != "conflict") throw;
    throw protocol_error("conflict", "an advisor is already calling you back; it can no longer be cancelled here");
  }
  send(reply({{"type", "callback_cancelled"}, {"callback_id", id}}));
}

json::object visitor_connection::render_message(const std::string&, long long seq, const json::object& fields) const {
  // Visitors never see risk flags, cues or notes between advisors and supervisors.
  if (fields.contains("team")) return {};
  json::object m{{"type", "message"}, {"seq", seq}};
  for (const char* k : {"from", "name", "text", "ts", "client_id", "notice"}) {
    if (const auto* v = fields.if_contains(k)) m[k] = *v;
  }
  // A programme card as the visitor sees it: what it is and how to reach it. Why the advisor
  // chose it ("accepts high risk", distances, risk notes) stays in the console.
  if (const auto* card = fields.if_contains("card"); card && card->is_object()) {
    json::object shown;
    for (const char* k : {"kind", "id", "name", "organisation", "programme_type", "contact", "length", "fees",
                          "waiting_weeks", "referral"}) {
      if (const auto* v = card->as_object().if_contains(k)) shown[k] = *v;
    }
    m["card"] = std::move(shown);
  }
  return m;
}

void visitor_connection::on_event(const json::object& event) {
  if (conversation_.empty()) return;
  const auto* conv = event.if_contains("conv");
  if (!conv || !conv->is_string() || conv->as_string() != conversation_) return;
  std::string_view kind = event.at("kind").as_string();
  if (kind == "msg") {
    deliver_message(conversation_, event.at("seq").to_number<long long>(), event);
  } else if (kind == "typing") {
    if (event.at("from").as_string() == "advisor") {
      send({{"type", "typing"}, {"from", "advisor"}, {"active", event.at("active")}});
    }
  } else if (kind == "joined") {
    state_ = "active";
    bool transferred = event.contains("transferred") && event.at("transferred").is_bool() &&
                       event.at("transferred").as_bool();
    send({{"type", transferred ? "transferred" : "advisor_joined"}, {"advisor", {{"name", event.at("name")}}}});
  } else if (kind == "risk") {
    // Whatever the queue says, someone in danger is told at once what to do meanwhile. Only the
    // level reaches the visitor: never the flags or categories.
    if (const auto* level = event.if_contains("level"); level && level->is_string()) {
      send_safety_if_raised(level->as_string());
    }
  } else if (kind == "ended") {
    if (event.at("by").as_string() == "visitor" && state_ == "ended") return;
    send({{"type", "ended"}, {"by", event.at("by")}});
    state_ = "ended";
    detach();
  }
}

void visitor_connection::post_queue(const queue_position& position) {
  asio::post(session_->executor(), [self = shared_from_this(), position] { self->send_queue_if_changed(position); });
}

void visitor_connection::send_queue_if_changed(const queue_position& p) {
  if (state_ != "queued" && state_ != "offered") return;
  if (last_queue_ && *last_queue_ == p) return;
  last_queue_ = p;
  send(p.to_json());
}

void visitor_connection::resync() {
  client_connection::resync();
  if (conversation_.empty()) return;
  // The state may have moved on while the bus was away (accepted, ended).
  asio::co_spawn(
      session_->executor(),
      [self = shared_from_this()]() -> asio::awaitable<void> {
        try {
          conversation conv = co_await self->app_.conversations().load(self->conversation_);
          std::string state = conv.state;
          if (self->conversation_.empty()) co_return;
          self->send_safety_if_raised(conv.level);  // a `risk` event missed while away
          if (state == self->state_) co_return;
          if (state == "active" && (self->state_ == "queued" || self->state_ == "offered")) {
            self->send({{"type", "advisor_joined"}, {"advisor", {{"name", conv.advisor_name}}}});
          } else if (!conv.is_live()) {
            self->send({{"type", "ended"}, {"by", conv.ended_by.empty() ? "system" : conv.ended_by}});
            self->detach();
            state = "ended";
          }
          self->state_ = state;
        } catch (const std::exception&) {
        }
      },
      asio::detached);
}

void visitor_connection::on_close() {
  if (conversation_.empty()) return;
  std::string conv = conversation_;
  app_.sessions().remove_visitor(conv, this);
  if (!app_.sessions().visitors(conv).empty()) return;  // another tab of theirs is still here
  // Away from now: not counted in the queue nor offered, and the abandon clock starts.
  asio::co_spawn(
      session_->executor(),
      [&app = app_, conv]() -> asio::awaitable<void> {
        try {
          co_await app.conversations().visitor_presence(conv, false);
        } catch (const std::exception&) {
          // Redis away: the heartbeat stops for this conversation, so the sweep finds it stale.
        }
      },
      asio::detached);
}

}  // namespace helpline
