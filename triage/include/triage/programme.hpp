#pragma once
// One behaviour-change programme of the directory (content/programmes/directory.json).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "triage/geo_point.hpp"
#include "triage/risk_level.hpp"

namespace triage {

// Intensity and specialism, from Respect's factsheet on domestic abuse perpetrator programmes.
enum class programme_type {
  early_response,          // early intervention, e.g. Make a Change
  dapp,                    // group domestic abuse prevention programme, 26-30 weekly sessions
  one_to_one,              // individual work (interpreters, same-sex, cannot attend a group)
  high_risk_high_harm,     // Drive-like case management with police and MARAC
  womens_use_of_violence,  // for women who use violence or abuse
  same_sex_relationships,  // for people using abuse in same-sex relationships
};

std::string_view to_string(programme_type type) noexcept;
std::optional<programme_type> parse_programme_type(std::string_view id) noexcept;
// Plain words for people: "group domestic abuse prevention programme".
std::string_view describe(programme_type type) noexcept;

struct programme_area {
  std::vector<std::string> codes;  // postcode areas ("LS") or districts ("BD1") served
  std::optional<geo_point> centre;  // where sessions are held (from lat/lon in the file)
  std::string centre_code;          // or a postcode/district/area resolved by the postcode table
  double radius_km = 0;             // 0 = only the codes
  bool nationwide = false;          // serves anywhere in the directory's country (online services)
};

struct programme_contact {
  std::string phone, email, url, address;
};

struct programme {
  std::string id;
  std::string organisation;
  std::string name;
  programme_type type = programme_type::dapp;
  programme_area area;
  std::vector<std::string> languages;      // language tags sessions are held in: "en", "pl"
  bool interpreters = false;               // works with interpreters for other languages
  std::vector<std::string> genders;        // "male", "female", "non_binary", or "any"
  std::vector<std::string> relationships;  // "heterosexual", "same_sex", or "any"
  std::vector<risk_level> risk_levels;     // levels the programme accepts
  std::vector<std::string> formats;        // "group", "one_to_one", "online"
  std::string length;                      // "28 weekly sessions of 2.5 hours"
  std::optional<double> length_weeks;
  std::string fees;                        // "Free", "Sliding scale, £5-£25 a session"
  std::optional<double> waiting_weeks;
  std::string referral;                    // how to get in: "Self-referral by phone or form"
  programme_contact contact;
  std::vector<std::string> accreditation;  // "respect" = Respect accredited
  // The two minimum safety standards of Respect's programme briefing: without both
  // a programme is unsafe and is never suggested.
  bool partner_support = false;  // integrated support service for (ex-)partners, e.g. IDVA
  bool risk_management = false;  // risk assessment and management in place
  bool sample = false;           // fictional sample entry
  std::string notes;

  bool safe() const { return partner_support && risk_management; }
  bool accepts(risk_level level) const;
  bool has_format(std::string_view format) const;
  bool respect_accredited() const;
};

}  // namespace triage
