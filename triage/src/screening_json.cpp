#include "triage/screening_json.hpp"

#include <algorithm>

#include "triage/screening_engine.hpp"
#include "triage/taxonomy.hpp"

namespace triage {
namespace json = boost::json;

json::object to_json(const risk_flag& f) {
  json::object o{{"category", f.category}, {"start", f.start},   {"end", f.end},
                 {"match", f.match},       {"reason", f.reason}, {"source", to_string(f.source)},
                 {"rule", f.rule}};
  if (f.source == flag_source::model) o["score"] = f.score;
  json::array evidence;
  for (const auto& e : f.evidence) {
    json::object eo{{"label", e.label}, {"start", e.start}, {"end", e.end}};
    if (e.message_back > 0) eo["message_back"] = e.message_back;
    else eo["match"] = e.match;
    evidence.push_back(std::move(eo));
  }
  o["evidence"] = std::move(evidence);
  return o;
}

json::object to_json(const cue_match& c) {
  return json::object{{"cue", c.cue}, {"start", c.start}, {"end", c.end}, {"match", c.match}};
}

json::array flags_json(const screening_result& r) {
  json::array out;
  out.reserve(r.flags.size());
  for (const auto& f : r.flags) out.push_back(to_json(f));
  return out;
}

json::array cues_json(const screening_result& r) {
  json::array out;
  out.reserve(r.cues.size());
  for (const auto& c : r.cues) out.push_back(to_json(c));
  return out;
}

json::object to_json(const screening_result& r) {
  return json::object{{"level", to_string(r.level)}, {"flags", flags_json(r)}, {"cues", cues_json(r)}};
}

json::object taxonomy_json(const screening_engine& engine, std::string_view lang) {
  json::array levels, categories, cues;
  for (auto l : {risk_level::none, risk_level::low, risk_level::medium, risk_level::high, risk_level::imminent})
    levels.emplace_back(to_string(l));
  for (const auto& c : taxonomy_categories) {
    const auto info = engine.category(c.id, lang);
    categories.push_back(json::object{{"id", c.id}, {"severity", to_string(c.severity)},
                                      {"label", info ? info->label : std::string(c.id)},
                                      {"description", info ? info->description : std::string()}});
  }
  for (auto id : taxonomy_cues) {
    const auto info = engine.cue(id, lang);
    cues.push_back(json::object{{"id", id}, {"label", info ? info->label : std::string(id)},
                                {"description", info ? info->description : std::string()}});
  }
  return json::object{{"levels", std::move(levels)}, {"categories", std::move(categories)}, {"cues", std::move(cues)}};
}

std::vector<std::string> flag_categories(const screening_result& r) {
  std::vector<std::string> out;
  for (const auto& f : r.flags) {
    if (std::find(out.begin(), out.end(), f.category) == out.end()) out.push_back(f.category);
  }
  return out;
}

}  // namespace triage
