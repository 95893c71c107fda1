#pragma once
// The parts of a UK postcode as typed by a person: "ls6 2ab", "LS62AB", "LS6", "ls", "SW1A 1AA".
// Area = the leading letters (LS), district = the outward code (LS6), full = outward + inward.
#include <optional>
#include <string>
#include <string_view>

namespace triage {

struct uk_postcode {
  enum class level { area, district, full };
  level precision = level::area;
  std::string area;      // "LS"
  std::string district;  // "LS6" (empty for an area)
  std::string full;      // "LS6 2AB" (empty unless precision is full)

  // The most precise form, as people write it: "LS6 2AB", "LS6", "LS".
  const std::string& display() const;
  // Upper case without spaces: the lookup key ("LS62AB", "LS6", "LS").
  std::string key() const;
};

// nullopt when the text is not shaped like a UK postcode, district or area. Case, spaces and
// surrounding blanks do not matter.
std::optional<uk_postcode> parse_uk_postcode(std::string_view text);

// Upper case, letters and digits only: "ls6 2ab" -> "LS62AB".
std::string postcode_key(std::string_view text);

}  // namespace triage
