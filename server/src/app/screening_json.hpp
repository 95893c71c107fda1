#pragma once
// Screening results as protocol JSON: flags and cues with byte offsets into the message text.
#include <boost/json/array.hpp>
#include <string>
#include <vector>

#include "triage/screening_result.hpp"

namespace helpline {

boost::json::array flags_json(const triage::screening_result& r);
boost::json::array cues_json(const triage::screening_result& r);
std::vector<std::string> flag_categories(const triage::screening_result& r);

}  // namespace helpline
