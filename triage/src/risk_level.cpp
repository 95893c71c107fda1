#include "triage/risk_level.hpp"

#include <array>

namespace triage {
namespace {
constexpr std::array<std::string_view, 5> level_names{"none", "low", "medium", "high", "imminent"};
}

std::string_view to_string(risk_level level) noexcept {
  return level_names.at(static_cast<std::size_t>(level));
}

std::optional<risk_level> parse_risk_level(std::string_view text) noexcept {
  for (std::size_t i = 0; i < level_names.size(); ++i) {
    if (level_names[i] == text) return static_cast<risk_level>(i);
  }
  return std::nullopt;
}

}  // namespace triage
