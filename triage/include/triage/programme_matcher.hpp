#pragma once
// Suggests programmes by risk, need and responsivity (Respect's factsheet on perpetrator programmes):
// the risk level sets the intensity, needs (language, gender, relationship, one-to-one) filter,
// distance ranks. Unsafe programmes (no partner support or no risk management) are never suggested.
#include <boost/json/object.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "triage/postcode_index.hpp"
#include "triage/programme_directory.hpp"
#include "triage/risk_level.hpp"

namespace triage {

struct programme_need {
  risk_level level = risk_level::none;
  std::string lang = "en";
  std::string gender;        // "" = not known; "male", "female", "non_binary"
  std::string relationship;  // "" = not known; "heterosexual", "same_sex"
  bool one_to_one = false;
  std::string location;  // postcode, district, area or post town; "" = online/nationwide only
};

struct programme_suggestion {
  const programme* entry = nullptr;  // points into the directory, which must outlive this
  std::optional<double> distance_km;
  double score = 0;
  std::vector<std::string> reasons;  // human-readable, most important first
};

// The location of a need is not a known postcode, district, area or town.
class unknown_location : public std::invalid_argument {
 public:
  using invalid_argument::invalid_argument;
};

// Shown before anything else when the level is imminent.
inline constexpr std::string_view emergency_first_note =
    "Emergency action comes first: if anyone is in danger now, call 999 (or the local emergency "
    "number) before any referral.";

// Ranked best first, at most `limit` (capped at 50). Throws unknown_location.
std::vector<programme_suggestion> match_programmes(const programme_directory& directory,
                                                   const postcode_index& postcodes,
                                                   const programme_need& need,
                                                   std::size_t limit = 5);

// The card the console sends to the visitor: {"id","organisation","name","type","type_label",
// "formats","languages","length","fees","waiting_weeks","referral","contact":{...},
// "accreditation","distance_km","score","reasons","sample"}.
boost::json::object to_json(const programme_suggestion& suggestion);

// "Polish" for "pl"; the tag itself when unknown.
std::string language_name(std::string_view tag);

}  // namespace triage
