#include "app/casework_routes.hpp"

#include <boost/json.hpp>
#include <set>

#include "app/advisor_connection.hpp"
#include "app/app_services.hpp"
#include "app/ids.hpp"
#include "app/json_fields.hpp"
#include "app/protocol_error.hpp"
#include "net/log.hpp"
#include "triage/caller_type.hpp"
#include "triage/programme_matcher.hpp"
#include "triage/screening_json.hpp"
#include "triage/taxonomy.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;
using json_fields::now_ms;

namespace {

const std::set<std::string> wrap_outcomes{"information_given", "referred", "callback_arranged",
                                          "safeguarding_escalated", "disconnected", "other"};
const std::set<std::string> wrap_actions{"none", "police_called", "ambulance_called", "children_services_referral",
                                         "marac_referral", "safeguarding_lead_informed", "supervisor_consulted"};

void require_role(const account& me, role needed) {
  if (me.user_role < needed) throw protocol_error("forbidden", "your role does not allow this");
}

std::string text_field(const json::object& request, std::string_view name, std::size_t max_bytes) {
  return json_fields::required_string(request, name, max_bytes);
}

}  // namespace

void casework_routes::add_to(advisor_route_table& table) {
  table.add<&casework_routes::accept>("accept", advisor_access::advisor);
  table.add<&casework_routes::decline>("decline", advisor_access::advisor);
  table.add<&casework_routes::message>("message", advisor_access::advisor);
  table.add<&casework_routes::typing>("typing", advisor_access::advisor);
  table.add<&casework_routes::transfer>("transfer", advisor_access::advisor);
  table.add<&casework_routes::end>("end", advisor_access::advisor);
  table.add<&casework_routes::wrap_up>("wrap_up", advisor_access::advisor);
  table.add<&casework_routes::history>("history", advisor_access::advisor);
  table.add<&casework_routes::on_programmes>("programmes", advisor_access::advisor);
  table.add<&casework_routes::content>("content", advisor_access::advisor);
  table.add<&casework_routes::case_record>("plan", advisor_access::advisor);
  table.add<&casework_routes::case_record>("disclosure_record", advisor_access::advisor);
  // Four eyes: a supervisor confirms (on_case_record also refuses the plan's own proposer).
  table.add<&casework_routes::case_record>("plan_confirm", advisor_access::supervisor);
}

asio::awaitable<void> casework_routes::accept(const json::object& request) {
  co_return co_await on_accept(conversation_id(request));
}

asio::awaitable<void> casework_routes::decline(const json::object& request) {
  const account& me = *me_;
  co_await app_.conversations().decline(me.id, conversation_id(request), "declined");
  send(reply({{"type", "declined"}, {"conversation_id", conversation_id(request)}}));
  co_return;
}

asio::awaitable<void> casework_routes::message(const json::object& request) {
  co_return co_await on_message(conversation_id(request), request);
}

asio::awaitable<void> casework_routes::typing(const json::object& request) {
  std::string conv = conversation_id(request);
  bool active = json_fields::required_bool(request, "active");
  if (!has_feed(conv)) throw protocol_error("forbidden", "not in this conversation");
  // Only the advisor who holds the chat shows as typing: a supervisor watching (writing a private
  // note) must not make the visitor wait for a reply nobody is writing to them.
  const conversation held = co_await app_.conversations().load(conv);
  if (held.advisor != me_->id) co_return;
  co_await app_.conversations().typing(conv, "advisor", active);
  co_return;
}

asio::awaitable<void> casework_routes::transfer(const json::object& request) {
  co_return co_await on_transfer(conversation_id(request), request);
}

asio::awaitable<void> casework_routes::end(const json::object& request) {
  const account& me = *me_;
  std::string conv = conversation_id(request);
  co_await app_.conversations().end(conv, "advisor", me.id, me.is_supervisor());
  send(reply({{"type", "ended"}, {"conversation_id", conv}, {"by", "advisor"}}));
  co_return;
}

asio::awaitable<void> casework_routes::wrap_up(const json::object& request) {
  co_return co_await on_wrap_up(conversation_id(request), request);
}

asio::awaitable<void> casework_routes::history(const json::object& request) {
  co_return co_await on_history(conversation_id(request), request);
}

asio::awaitable<void> casework_routes::content(const json::object& request) {
  co_return on_content(request);
}

asio::awaitable<void> casework_routes::case_record(const json::object& request) {
  const std::string type = type_of(request);
  co_return co_await on_case_record(type, conversation_id(request), request);
}

asio::awaitable<void> casework_routes::on_accept(const std::string& conversation) {
  long long waited = co_await app_.conversations().accept(conversation, me_->id, me_->name, me_->capacity);
  app_.metrics().conversation_accepted(static_cast<double>(waited) / 1000.0);
  co_await app_.stats().accepted(waited);
  json::object payload = co_await conversation_payload(conversation);
  follow(conversation, payload.at("last_seq").as_int64());
  send(reply({{"type", "conversation"}, {"conversation", std::move(payload)}}));
}

asio::awaitable<void> casework_routes::on_message(const std::string& conversation, const json::object& request) {
  std::string cid = json_fields::client_id(request);
  const auto* text_v = request.if_contains("text");
  if (!text_v || !text_v->is_string() || text_v->as_string().empty()) {
    throw protocol_error("bad_request", "text is required");
  }
  json_fields::check_text_length(text_v->as_string(), app_.config().limits.max_text_chars);
  conversation_store::advisor_message m;
  m.advisor_id = me_->id;
  m.client_id = cid;
  m.name = me_->name;
  m.text = std::string(text_v->as_string());
  m.team = json_fields::optional_bool(request, "team").value_or(false);
  if (const auto* card = request.if_contains("card"); card && !card->is_null()) {
    if (m.team) throw protocol_error("bad_request", "a private note carries no card");
    if (!card->is_object()) throw protocol_error("bad_request", "card must be an object");
    m.card_json = json::serialize(*card);
    if (m.card_json.size() > 4096) throw protocol_error("too_long", "card is larger than 4096 bytes");
  }
  conversation_store::appended stored;
  try {
    stored = co_await app_.conversations().add_advisor_message(conversation, m);
  } catch (const protocol_error& e) {
    if (e.code() != "watching") throw;
    throw protocol_error("forbidden", "you are watching this conversation: write a private note "
                                      "(\"team\": true), or take over to write to the visitor");
  }
  if (!stored.duplicate) app_.metrics().message_stored(m.team ? "team" : "advisor");
  send(reply({{"type", "ack"}, {"conversation_id", conversation}, {"client_id", cid}, {"seq", stored.seq}}));
}

asio::awaitable<void> casework_routes::on_transfer(const std::string& conversation, const json::object& request) {
  std::string to = json_fields::required_string(request, "to", 64);
  std::string note = json_fields::optional_string(request, "note", 2000).value_or("");
  if (to != "supervisor") {
    if (to == me_->id) throw protocol_error("bad_request", "to must be another advisor");
    if (!co_await app_.accounts().find(to)) throw protocol_error("not_found", "no such advisor");
  }
  co_await app_.conversations().transfer(conversation, me_->id, me_->is_supervisor(), to, note);
  // The visitor is told they are being passed on (not left wondering why nobody answers), and the
  // transcript marks where the transfer happened.
  try {
    const std::string notice = "transferring";
    const std::string text = "You are being passed to a colleague who will read what you have written so far.";
    const std::string client_id = "transfer-" + std::to_string(now_ms());
    co_await app_.conversations().add_system_notice(conversation, notice, text, client_id, me_->name);
  } catch (const protocol_error&) {
    // Already taken again by someone (a race with the router): the join says it instead.
  }
  unfollow(conversation);
  send(reply({{"type", "transferred"}, {"conversation_id", conversation}}));
}

asio::awaitable<void> casework_routes::on_wrap_up(const std::string& conversation, const json::object& request) {
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

asio::awaitable<void> casework_routes::on_history(const std::string& conversation, const json::object& request) {
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

asio::awaitable<void> casework_routes::on_programmes(const json::object& request) {
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

void casework_routes::on_content(const json::object& request) {
  const auto content = app_.content();
  std::string lang = json_fields::optional_string(request, "lang", 16).value_or(app_.config().default_language);
  if (!content->engine->has_language(lang)) lang = app_.config().default_language;
  json::object cue_responses;
  for (const auto cue : triage::taxonomy_cues) {
    json::array texts;
    for (const auto& r : content->engine->cue_responses(cue, lang)) {
      json::array types;
      for (const auto& t : r.caller_types) types.emplace_back(t);
      texts.push_back(json::object{{"text", r.text}, {"caller_types", std::move(types)}});
    }
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

asio::awaitable<void> casework_routes::on_case_record(const std::string& type, const std::string& conversation,
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

}  // namespace helpline
