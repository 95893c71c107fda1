#pragma once
// What screening one message finds: risk flags with their evidence, advisor cues, and the level.
#include <cstddef>
#include <string>
#include <vector>

#include "triage/risk_level.hpp"

namespace triage {

struct risk_flag {
  std::string category;    // taxonomy category id
  std::size_t start = 0;   // byte offsets into the ORIGINAL UTF-8 text, end exclusive
  std::size_t end = 0;
  std::string match;       // the original text of [start, end)
  std::string rule;        // the phrase that matched, for audit: "en/strangulation.tsv:14 choke* @person"
};

struct cue_match {
  std::string cue;         // taxonomy cue id (minimisation, partner_blame, denial, justification)
  std::size_t start = 0;
  std::size_t end = 0;
  std::string match;
};

struct screening_result {
  risk_level level = risk_level::none;
  std::vector<risk_flag> flags;
  std::vector<cue_match> cues;
};

struct cue_response {
  std::string text;  // a suggested advisor response for a cue, in the conversation's language
};

struct category_info {
  std::string id;
  risk_level severity = risk_level::none;
  std::string label;        // in the requested language where available, else English
  std::string description;
};

}  // namespace triage
