#include "triage/programme_matcher.hpp"

#include <algorithm>
#include <array>
#include <boost/json.hpp>
#include <cmath>
#include <cstdint>
#include <utility>

#include "triage/uk_postcode.hpp"

namespace triage {
namespace {

constexpr std::size_t max_limit = 50;

// How well a programme type fits a risk level (0 = not suitable): risk sets the intensity.
//   none/low  -> early response first, then DAPP or one-to-one
//   medium    -> DAPP or one-to-one (early response is too light, HRHH not warranted)
//   high      -> high-risk high-harm case management first, then DAPP with risk management
//   imminent  -> high-risk high-harm case management only, after emergency action
double suitability(programme_type type, risk_level level) {
  using t = programme_type;
  switch (level) {
    case risk_level::none:
    case risk_level::low:
      switch (type) {
        case t::early_response: return 1.0;
        case t::dapp: case t::one_to_one: return 0.7;
        case t::womens_use_of_violence: case t::same_sex_relationships: return 1.0;
        case t::high_risk_high_harm: return 0;
      }
      break;
    case risk_level::medium:
      switch (type) {
        case t::dapp: return 1.0;
        case t::one_to_one: return 0.9;
        case t::womens_use_of_violence: case t::same_sex_relationships: return 1.0;
        case t::early_response: case t::high_risk_high_harm: return 0;
      }
      break;
    case risk_level::high:
      switch (type) {
        case t::high_risk_high_harm: return 1.0;
        case t::dapp: return 0.8;
        case t::one_to_one: return 0.7;
        case t::womens_use_of_violence: case t::same_sex_relationships: return 0.9;
        case t::early_response: return 0;
      }
      break;
    case risk_level::imminent:
      return type == t::high_risk_high_harm ? 1.0 : 0;
  }
  return 0;
}

std::string primary_subtag(std::string_view tag) {
  std::string out(tag.substr(0, std::min(tag.find_first_of("-_"), tag.size())));
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool has(const std::vector<std::string>& values, std::string_view v) {
  return std::find(values.begin(), values.end(), v) != values.end();
}

// An empty list or "any" accepts everyone; an unknown need ("") is accepted by everyone.
bool accepts(const std::vector<std::string>& values, std::string_view need) {
  return need.empty() || values.empty() || has(values, need) || has(values, "any");
}

std::string km_text(double km) {
  if (km < 1) return "less than 1 km";
  return std::to_string(static_cast<long>(std::lround(km))) + " km";
}

struct location {
  postcode_match match;
  std::string area, district;  // parts of the resolved code, for codes served
};

bool serves_by_code(const programme& p, const location& where) {
  for (const auto& code : p.area.codes) {
    const auto parsed = parse_uk_postcode(code);
    if (!parsed) continue;
    if (parsed->precision == uk_postcode::level::area ? parsed->area == where.area
                                                      : parsed->district == where.district) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string language_name(std::string_view tag) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 36> names{{
      {"en", "English"},   {"es", "Spanish"},    {"pl", "Polish"},     {"cy", "Welsh"},
      {"gd", "Scottish Gaelic"}, {"ga", "Irish"}, {"pa", "Punjabi"},   {"ur", "Urdu"},
      {"bn", "Bengali"},   {"gu", "Gujarati"},   {"hi", "Hindi"},      {"ar", "Arabic"},
      {"pt", "Portuguese"}, {"ro", "Romanian"},  {"so", "Somali"},     {"fr", "French"},
      {"de", "German"},    {"it", "Italian"},    {"lt", "Lithuanian"}, {"lv", "Latvian"},
      {"tr", "Turkish"},   {"ku", "Kurdish"},    {"fa", "Persian"},    {"ti", "Tigrinya"},
      {"uk", "Ukrainian"}, {"ru", "Russian"},    {"sq", "Albanian"},   {"bg", "Bulgarian"},
      {"hu", "Hungarian"}, {"cs", "Czech"},      {"sk", "Slovak"},     {"ta", "Tamil"},
      {"zh", "Chinese"},   {"yue", "Cantonese"}, {"nl", "Dutch"},      {"bfi", "British Sign Language"},
  }};
  const std::string primary = primary_subtag(tag);
  for (const auto& [code, name] : names) {
    if (code == primary) return std::string(name);
  }
  return std::string(tag);
}

std::vector<programme_suggestion> match_programmes(const programme_directory& directory,
                                                   const postcode_index& postcodes,
                                                   const programme_need& need, std::size_t limit) {
  std::optional<location> where;
  if (!need.location.empty()) {
    auto m = postcodes.lookup(need.location);
    if (!m) {
      throw unknown_location("unknown postcode, district, area or town: '" + need.location + "'");
    }
    location loc{std::move(*m), {}, {}};
    if (const auto parsed = parse_uk_postcode(loc.match.matched)) {
      loc.area = parsed->area;
      loc.district = parsed->district;
    }
    where = std::move(loc);
  }
  const std::string lang = primary_subtag(need.lang.empty() ? "en" : need.lang);
  const std::string lang_name = language_name(lang);
  const std::string level_name(to_string(need.level));

  std::vector<programme_suggestion> out;
  for (const programme& p : directory.programmes()) {
    // Hard filters first: safety, intensity, specialism, needs, area.
    if (!p.safe()) continue;
    const bool level_ok = p.accepts(need.level) ||
                          (need.level == risk_level::none && p.accepts(risk_level::low));
    const double fit = suitability(p.type, need.level);
    if (!level_ok || fit <= 0) continue;
    if (p.type == programme_type::womens_use_of_violence && need.gender != "female") continue;
    if (p.type == programme_type::same_sex_relationships && need.relationship != "same_sex") {
      continue;
    }
    if (!accepts(p.genders, need.gender) || !accepts(p.relationships, need.relationship)) continue;
    if (need.one_to_one && !p.has_format("one_to_one")) continue;
    bool native_language = false;
    for (const auto& l : p.languages) native_language = native_language || primary_subtag(l) == lang;
    if (!native_language && !p.interpreters) continue;

    std::optional<geo_point> centre = p.area.centre;
    if (!centre && !p.area.centre_code.empty()) centre = postcodes.resolve(p.area.centre_code);
    std::optional<double> distance;
    bool served = p.area.nationwide;
    if (where) {
      if (centre) distance = distance_km(where->match.point, *centre);
      served = served || serves_by_code(p, *where) ||
               (distance && p.area.radius_km > 0 && *distance <= p.area.radius_km);
    }
    if (!served) continue;

    programme_suggestion s;
    s.entry = &p;
    s.distance_km = distance;
    auto& r = s.reasons;
    if (need.level == risk_level::imminent) r.emplace_back(emergency_first_note);

    double score = 100 * fit;
    if (p.type == programme_type::high_risk_high_harm &&
        (need.level == risk_level::high || need.level == risk_level::imminent)) {
      r.push_back("high-risk high-harm case management (Drive-like), suited to " + level_name +
                  " risk");
    } else if (p.type == programme_type::early_response && need.level <= risk_level::low) {
      r.push_back("early response, suited to " + level_name + " risk");
    } else if (p.type == programme_type::womens_use_of_violence) {
      r.emplace_back("a programme for women who use violence or abuse");
      score += 10;
    } else if (p.type == programme_type::same_sex_relationships) {
      r.emplace_back("a programme for people in same-sex relationships");
      score += 10;
    }
    r.push_back("accepts " + level_name + " risk");
    if (need.level == risk_level::high && p.type != programme_type::high_risk_high_harm) {
      r.emplace_back("has risk management for high-risk cases");
    }
    if (where) {
      if (distance) {
        r.push_back(km_text(*distance) + " from " + where->match.matched);
        score -= std::min(*distance, 200.0) * 0.25;  // 4 km costs a point, 100 km 25 points
      }
      if (!distance || (p.area.radius_km <= 0 && !p.area.nationwide)) {
        if (serves_by_code(p, *where)) r.push_back("serves " + where->match.matched);
      }
    }
    if (p.area.nationwide && p.has_format("online")) {
      r.push_back("online: available anywhere in " + directory.country());
      if (!distance) score -= 8;  // a local, face-to-face option ranks first when equal
    }
    if (lang != "en" || !native_language) {
      if (native_language) {
        r.push_back("offers sessions in " + lang_name);
        score += 15;
      } else {
        r.push_back("works with an interpreter for " + lang_name);
        score -= 5;
      }
    }
    if (need.gender == "female" && p.type != programme_type::womens_use_of_violence) {
      r.emplace_back("accepts women");
    }
    if (need.relationship == "same_sex" && p.type != programme_type::same_sex_relationships) {
      r.emplace_back("accepts people in same-sex relationships");
    }
    if (p.has_format("one_to_one") && (need.one_to_one || p.type == programme_type::one_to_one)) {
      r.emplace_back("offers one-to-one sessions");
      if (need.one_to_one) score += 5;
    }
    if (p.respect_accredited()) {
      r.emplace_back("Respect accredited");
      score += 10;
    }
    r.emplace_back("partner support and risk management in place");
    if (p.waiting_weeks) {
      const long weeks = std::lround(*p.waiting_weeks);
      r.push_back(weeks == 0 ? std::string("no waiting list")
                             : "waiting time about " + std::to_string(weeks) +
                                   (weeks == 1 ? " week" : " weeks"));
      score -= std::min(*p.waiting_weeks, 20.0) * 0.5;
    }
    s.score = score;
    out.push_back(std::move(s));
  }
  std::sort(out.begin(), out.end(), [](const programme_suggestion& a, const programme_suggestion& b) {
    if (a.score != b.score) return a.score > b.score;
    const double da = a.distance_km.value_or(1e9), db = b.distance_km.value_or(1e9);
    if (da != db) return da < db;
    return a.entry->id < b.entry->id;
  });
  out.resize(std::min({out.size(), limit, max_limit}));
  return out;
}

boost::json::object to_json(const programme_suggestion& s) {
  namespace json = boost::json;
  const programme& p = *s.entry;
  auto strings = [](const std::vector<std::string>& v) {
    json::array a;
    for (const auto& x : v) a.emplace_back(x);
    return a;
  };
  json::object card;
  card["id"] = p.id;
  card["organisation"] = p.organisation;
  card["name"] = p.name;
  card["type"] = to_string(p.type);
  card["type_label"] = describe(p.type);
  card["formats"] = strings(p.formats);
  card["languages"] = strings(p.languages);
  card["length"] = p.length;
  card["fees"] = p.fees;
  // Whole weeks as integers (Boost.JSON would write 0.0 as "0E0"); a fraction stays a number.
  if (!p.waiting_weeks) {
    card["waiting_weeks"] = nullptr;
  } else if (*p.waiting_weeks == std::floor(*p.waiting_weeks)) {
    card["waiting_weeks"] = static_cast<std::int64_t>(*p.waiting_weeks);
  } else {
    card["waiting_weeks"] = *p.waiting_weeks;
  }
  card["referral"] = p.referral;
  card["contact"] = json::object{{"phone", p.contact.phone},
                                 {"email", p.contact.email},
                                 {"url", p.contact.url},
                                 {"address", p.contact.address}};
  card["accreditation"] = strings(p.accreditation);
  card["distance_km"] = s.distance_km ? json::value(std::round(*s.distance_km * 10) / 10)
                                      : json::value(nullptr);
  card["score"] = std::round(s.score * 10) / 10;
  card["reasons"] = strings(s.reasons);
  card["sample"] = p.sample;
  return card;
}

}  // namespace triage
