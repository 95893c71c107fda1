#pragma once
// The fixed names of docs/risk-taxonomy.md: category ids with their severities, and cue ids.
// Phrases, rules and texts are content; these ids are the contract between engine, content,
// server, console and tests.
#include <array>
#include <optional>
#include <string_view>

#include "triage/risk_level.hpp"

namespace triage {

struct taxonomy_category {
  std::string_view id;
  risk_level severity;
};

inline constexpr std::array<taxonomy_category, 17> taxonomy_categories{{
    {"imminent_danger", risk_level::imminent},
    {"threat_to_kill", risk_level::high},
    {"strangulation", risk_level::high},
    {"weapon", risk_level::high},
    {"sexual_violence", risk_level::high},
    {"child_harm", risk_level::high},
    {"suicide_risk", risk_level::high},
    {"serious_injury", risk_level::high},
    {"physical_violence", risk_level::medium},
    {"stalking", risk_level::medium},
    {"coercive_control", risk_level::medium},
    {"escalation", risk_level::medium},
    {"separation", risk_level::medium},
    {"pregnancy", risk_level::medium},
    {"order_breach", risk_level::medium},
    {"animal_harm", risk_level::medium},
    {"substance_misuse", risk_level::low},
}};

inline constexpr std::array<std::string_view, 4> taxonomy_cues{"minimisation", "partner_blame",
                                                               "denial", "justification"};

constexpr std::optional<risk_level> category_severity(std::string_view id) noexcept {
  for (const auto& c : taxonomy_categories) {
    if (c.id == id) return c.severity;
  }
  return std::nullopt;
}

constexpr bool is_cue(std::string_view id) noexcept {
  for (auto c : taxonomy_cues) {
    if (c == id) return true;
  }
  return false;
}

}  // namespace triage
