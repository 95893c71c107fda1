#include "app/conversation.hpp"

namespace helpline {
namespace json = boost::json;

bool conversation::is_live() const {
  return state == "screening" || state == "queued" || state == "offered" || state == "active";
}

conversation conversation::from_record(const record& r) {
  using namespace record_fields;
  conversation c;
  c.id = text(r, "id");
  c.state = text(r, "state");
  c.caller_type = text(r, "caller_type");
  c.lang = text(r, "lang");
  c.level = text(r, "level");
  for (const auto& v : json_array(r, "categories")) {
    if (v.is_string()) c.categories.emplace_back(v.as_string());
  }
  c.answers = json_array(r, "answers");
  c.question = text(r, "question");
  c.created_at = number(r, "created_at");
  c.queued_at = number(r, "queued_at");
  c.accepted_at = number(r, "accepted_at");
  c.offer_expires_at = number(r, "offer_expires_at");
  c.last_seq = number(r, "last_seq");
  c.advisor = text(r, "advisor");
  c.advisor_name = text(r, "advisor_name");
  c.offered_to = text(r, "offered_to");
  c.interpreter = text(r, "interpreter") == "1";
  c.transfer_to = text(r, "transfer_to");
  c.transfer_note = text(r, "transfer_note");
  c.transfer_from = text(r, "transfer_from");
  c.visitor_lang = text(r, "visitor_lang");
  c.ended_by = text(r, "ended_by");
  c.ended_reason = text(r, "ended_reason");
  c.presence = text(r, "presence");
  c.plan = record_fields::json(r, "plan", nullptr);
  c.disclosures = json_array(r, "disclosures");
  c.stats_day = text(r, "stats_day");
  c.screening_context = text(r, "screening_ctx");
  return c;
}

json::object conversation::summary_json(long long now_ms) const {
  json::array cats;
  for (const auto& c : categories) cats.emplace_back(c);
  return {{"id", id},
          {"state", state},
          {"caller_type", caller_type},
          {"lang", lang},
          {"level", level},
          {"categories", std::move(cats)},
          {"answers", answers},
          {"waited_seconds", queued_at ? (now_ms - queued_at) / 1000 : 0},
          {"advisor", advisor.empty() ? json::value(nullptr)
                                      : json::value(json::object{{"id", advisor}, {"name", advisor_name}})},
          {"interpreter_may_be_needed", interpreter},
          // The visitor chose a language without a screening pack: automatic flags may miss things.
          {"visitor_lang", record_fields::or_null(visitor_lang)},
          {"screening_unavailable", !visitor_lang.empty()},
          {"transfer_note", record_fields::or_null(transfer_note)},
          {"transfer_from", record_fields::or_null(transfer_from)},
          {"created_at", created_at},
          {"queued_at", record_fields::or_null(queued_at)},
          {"accepted_at", record_fields::or_null(accepted_at)},
          {"last_seq", last_seq},
          {"presence", presence.empty() ? std::string("connected") : presence},
          {"ended_reason", record_fields::or_null(ended_reason)},
          {"plan", plan},
          {"disclosures", disclosures}};
}

}  // namespace helpline
