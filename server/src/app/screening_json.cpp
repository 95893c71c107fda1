#include "app/screening_json.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace helpline {
namespace json = boost::json;

json::array flags_json(const triage::screening_result& r) {
  json::array out;
  for (const auto& f : r.flags) {
    out.push_back(json::object{{"category", f.category}, {"start", f.start}, {"end", f.end}, {"match", f.match},
                               {"rule", f.rule}});
  }
  return out;
}

json::array cues_json(const triage::screening_result& r) {
  json::array out;
  for (const auto& c : r.cues) {
    out.push_back(json::object{{"cue", c.cue}, {"start", c.start}, {"end", c.end}, {"match", c.match}});
  }
  return out;
}

std::vector<std::string> flag_categories(const triage::screening_result& r) {
  std::vector<std::string> out;
  for (const auto& f : r.flags) {
    if (std::find(out.begin(), out.end(), f.category) == out.end()) out.push_back(f.category);
  }
  return out;
}

}  // namespace helpline
