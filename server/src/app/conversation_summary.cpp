#include "app/conversation_summary.hpp"

#include <boost/json.hpp>

#include "app/json_fields.hpp"

namespace helpline::conversation_summary {
namespace json = boost::json;
using json_fields::now_ms;

namespace {
json::value parse_or(const std::string& text, json::value fallback) {
  json::error_code ec;
  auto v = json::parse(text, ec);
  return ec ? fallback : v;
}
json::value nullable(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

}  // namespace

std::string field(const record& r, const char* k) {
  auto it = r.find(k);
  return it == r.end() ? std::string() : it->second;
}
long long field_ms(const record& r, const char* k) {
  std::string v = field(r, k);
  return v.empty() ? 0 : std::stoll(v);
}
json::object summary(const record& c) {
  long long queued = field_ms(c, "queued_at");
  return {{"id", field(c, "id")},
          {"state", field(c, "state")},
          {"caller_type", field(c, "caller_type")},
          {"lang", field(c, "lang")},
          {"level", field(c, "level")},
          {"categories", parse_or(field(c, "categories"), json::array())},
          {"answers", parse_or(field(c, "answers"), json::array())},
          {"waited_seconds", queued ? (now_ms() - queued) / 1000 : 0},
          {"advisor", field(c, "advisor").empty()
                          ? json::value(nullptr)
                          : json::value(json::object{{"id", field(c, "advisor")}, {"name", field(c, "advisor_name")}})},
          {"interpreter_may_be_needed", field(c, "interpreter") == "1"},
          // The visitor chose a language without a screening pack: automatic flags may miss things.
          {"visitor_lang", nullable(field(c, "visitor_lang"))},
          {"screening_unavailable", !field(c, "visitor_lang").empty()},
          {"transfer_note", nullable(field(c, "transfer_note"))},
          {"transfer_from", nullable(field(c, "transfer_from"))},
          {"created_at", field_ms(c, "created_at")},
          {"queued_at", queued ? json::value(queued) : json::value(nullptr)},
          {"accepted_at", field_ms(c, "accepted_at") ? json::value(field_ms(c, "accepted_at")) : json::value(nullptr)},
          {"last_seq", field_ms(c, "last_seq")},
          {"plan", parse_or(field(c, "plan"), json::value(nullptr))},
          {"disclosures", parse_or(field(c, "disclosures"), json::array())}};
}

}  // namespace helpline::conversation_summary
