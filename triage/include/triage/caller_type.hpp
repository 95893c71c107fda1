#pragma once
// Who is contacting the helpline. The ids are part of the public protocol and the content files.
#include <array>
#include <optional>
#include <string_view>

namespace triage {

enum class caller_type { own_behaviour, professional, friend_family, experiencing_abuse };

inline constexpr std::array<std::string_view, 4> caller_type_ids{
    "own_behaviour", "professional", "friend_family", "experiencing_abuse"};

constexpr std::string_view to_string(caller_type type) noexcept {
  return caller_type_ids[static_cast<std::size_t>(type)];
}

constexpr std::optional<caller_type> parse_caller_type(std::string_view id) noexcept {
  for (std::size_t i = 0; i < caller_type_ids.size(); ++i) {
    if (caller_type_ids[i] == id) return static_cast<caller_type>(i);
  }
  return std::nullopt;
}

}  // namespace triage
