#pragma once
// Risk levels of docs/risk-taxonomy.md, ordered: none < low < medium < high < imminent.
#include <cstdint>
#include <optional>
#include <string_view>

namespace triage {

enum class risk_level : std::uint8_t { none = 0, low = 1, medium = 2, high = 3, imminent = 4 };

std::string_view to_string(risk_level level) noexcept;
std::optional<risk_level> parse_risk_level(std::string_view text) noexcept;

}  // namespace triage
