#include "triage/programme.hpp"

#include <algorithm>
#include <array>

namespace triage {
namespace {

struct type_info {
  programme_type type;
  std::string_view id;
  std::string_view description;
};

constexpr std::array<type_info, 6> types{{
    {programme_type::early_response, "early_response", "early response programme"},
    {programme_type::dapp, "dapp", "group domestic abuse prevention programme"},
    {programme_type::one_to_one, "one_to_one", "one-to-one behaviour change work"},
    {programme_type::high_risk_high_harm, "high_risk_high_harm",
     "high-risk high-harm case management (Drive-like)"},
    {programme_type::womens_use_of_violence, "womens_use_of_violence",
     "programme for women's use of violence"},
    {programme_type::same_sex_relationships, "same_sex_relationships",
     "programme for people in same-sex relationships"},
}};

}  // namespace

std::string_view to_string(programme_type type) noexcept {
  return types[static_cast<std::size_t>(type)].id;
}

std::optional<programme_type> parse_programme_type(std::string_view id) noexcept {
  for (const auto& t : types) {
    if (t.id == id) return t.type;
  }
  return std::nullopt;
}

std::string_view describe(programme_type type) noexcept {
  return types[static_cast<std::size_t>(type)].description;
}

bool programme::accepts(risk_level level) const {
  return std::find(risk_levels.begin(), risk_levels.end(), level) != risk_levels.end();
}

bool programme::has_format(std::string_view format) const {
  return std::find(formats.begin(), formats.end(), format) != formats.end();
}

bool programme::respect_accredited() const {
  return std::find(accreditation.begin(), accreditation.end(), "respect") != accreditation.end();
}

}  // namespace triage
