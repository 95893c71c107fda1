#pragma once
// Screening results as JSON, written in one place for the WebSocket protocol (docs/protocol.md),
// the stored transcript and `helpline screen` (docs/screening.md). A flag:
//   {"category":"weapon","start":9,"end":29,"match":"...","reason":"weapon + going to them",
//    "source":"frame","rule":"frames/imminent.tsv:5 armed_and_going",
//    "evidence":[{"label":"weapon_object","start":9,"end":14,"match":"knife"},
//                {"label":"moving_toward","message_back":1,"start":0,"end":12}]}
// "score" is added for model flags; "message_back" only for evidence in an earlier message.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "triage/screening_result.hpp"

namespace triage {

boost::json::object to_json(const risk_flag& f);
boost::json::object to_json(const cue_match& c);
boost::json::array flags_json(const screening_result& r);
boost::json::array cues_json(const screening_result& r);
// {"level":"high","flags":[...],"cues":[...]}
boost::json::object to_json(const screening_result& r);
// The taxonomy (docs/risk-taxonomy.md) as advisors read it, labels in lang (English fallback):
// {"levels":["none",...], "categories":[{"id","severity","label","description"}],
//  "cues":[{"id","label","description"}]}. The console keeps no copy of its own.
class screening_engine;
boost::json::object taxonomy_json(const screening_engine& engine, std::string_view lang);

// Categories flagged, each once, in order of first appearance.
std::vector<std::string> flag_categories(const screening_result& r);

}  // namespace triage
