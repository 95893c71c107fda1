#pragma once
// What screening one message finds: risk flags with their evidence, advisor cues, and the level.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "triage/risk_level.hpp"

namespace triage {

// Where a flag comes from. Phrases and frames are content rules with evidence words; the model is
// a learned judgement ("similar to known disclosures of ..."), shown to advisors apart from them.
enum class flag_source : std::uint8_t { phrase, frame, model };
std::string_view to_string(flag_source s) noexcept;

// Words that support a flag. A frame's evidence can lie in the visitor's earlier messages.
struct evidence_span {
  std::string label;               // the concept or category these words stand for ("weapon", "time_now")
  std::uint32_t message_back = 0;  // 0: this message; 1: the visitor's message before it...
  std::size_t start = 0;           // byte offsets into that message, end exclusive
  std::size_t end = 0;
  std::string match;               // the original words (this message only; empty for earlier ones)
};

struct risk_flag {
  std::string category;    // taxonomy category id
  std::size_t start = 0;   // byte offsets into the ORIGINAL UTF-8 text, end exclusive: the span of
  std::size_t end = 0;     // this message that the flag points at (all of its evidence here)
  std::string match;       // the original text of [start, end)
  std::string rule;        // for audit: "en/strangulation.tsv:14 choke* @person", "frames/imminent.tsv:3 armed_approach"
  std::string reason;      // for advisors, in words: "weapon + going to them + now"
  flag_source source = flag_source::phrase;
  double score = 0;        // the model's probability (model flags only)
  std::vector<evidence_span> evidence;
};

struct cue_match {
  std::string cue;         // taxonomy cue id (minimisation, partner_blame, denial, justification)
  std::size_t start = 0;
  std::size_t end = 0;
  std::string match;
};

// What a conversation's earlier visitor messages leave for the next one to complete: concepts and
// categories found, with where they were. Carries no message text. The caller stores it with the
// conversation (serialise/parse) and passes it back with the next message.
struct carried_item {
  std::string label;               // concept or category id
  std::uint32_t message_back = 1;  // how many visitor messages ago
  std::uint32_t start = 0;         // byte offsets in that message
  std::uint32_t end = 0;
};

struct screening_context {
  std::vector<carried_item> items;
  // Compact text form: "label,back,start,end;..." (ids are [a-z0-9_], so no escaping).
  std::string serialise() const;
  // Ignores malformed entries (a stored context is a hint, never a reason to fail screening).
  static screening_context parse(std::string_view text);
  bool empty() const { return items.empty(); }
};

struct screening_result {
  risk_level level = risk_level::none;
  std::vector<risk_flag> flags;
  std::vector<cue_match> cues;
  // Filled by screen_in_conversation: what to pass with the conversation's next message.
  screening_context context;
};

struct cue_response {
  std::string text;  // a suggested advisor response for a cue, in the conversation's language;
                     // "{quote}" stands for the visitor's own words that showed the cue
  std::vector<std::string> caller_types;  // who it is addressed to (caller type ids); empty = all
};

struct category_info {
  std::string id;
  risk_level severity = risk_level::none;
  std::string label;        // in the requested language where available, else English
  std::string description;
};

}  // namespace triage
