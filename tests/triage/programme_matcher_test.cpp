// Matching programmes by risk, need and responsivity, with reasons for every suggestion.
#include "triage/programme_matcher.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>

#include "test_paths.hpp"
#include "triage_scratch_dir.hpp"

namespace {

using triage::programme_need;
using triage::programme_suggestion;
using triage::risk_level;

// A directory built for these tests, so that they do not depend on the sample content.
constexpr std::string_view test_directory = R"({
  "country": "the UK",
  "programmes": [
    {"id": "early", "organisation": "O", "name": "Early", "type": "early_response",
     "area": {"centre": "LS1", "radius_km": 25}, "languages": ["en"], "risk_levels": ["none", "low"],
     "formats": ["group"], "contact": {"phone": "1"}, "partner_support": true, "risk_management": true},
    {"id": "dapp", "organisation": "O", "name": "DAPP", "type": "dapp",
     "area": {"centre": "LS2", "radius_km": 30}, "languages": ["en"], "genders": ["male"],
     "relationships": ["heterosexual"], "risk_levels": ["low", "medium", "high"], "formats": ["group"],
     "contact": {"phone": "1"}, "partner_support": true, "risk_management": true, "waiting_weeks": 6},
    {"id": "dapp-polish", "organisation": "O", "name": "DAPP PL", "type": "dapp",
     "area": {"centre": "BD1", "radius_km": 40}, "languages": ["en", "pl"], "genders": ["male"],
     "relationships": ["heterosexual"], "risk_levels": ["low", "medium", "high"], "formats": ["group"],
     "contact": {"phone": "1"}, "partner_support": true, "risk_management": true, "waiting_weeks": 6},
    {"id": "dapp-far", "organisation": "O", "name": "DAPP far", "type": "dapp",
     "area": {"centre": "LS22", "radius_km": 40}, "languages": ["en"], "genders": ["male"],
     "relationships": ["heterosexual"], "risk_levels": ["low", "medium", "high"], "formats": ["group"],
     "contact": {"phone": "1"}, "partner_support": true, "risk_management": true, "waiting_weeks": 6},
    {"id": "hrhh", "organisation": "O", "name": "HRHH", "type": "high_risk_high_harm",
     "area": {"codes": ["LS", "BD"], "centre": "LS1"}, "languages": ["en"],
     "risk_levels": ["high", "imminent"], "formats": ["one_to_one"], "contact": {"phone": "1"},
     "partner_support": true, "risk_management": true, "accreditation": ["respect"]},
    {"id": "one-to-one", "organisation": "O", "name": "1:1", "type": "one_to_one",
     "area": {"centre": "LS9", "radius_km": 30}, "languages": ["en"], "interpreters": true,
     "risk_levels": ["low", "medium", "high"], "formats": ["one_to_one"], "contact": {"phone": "1"},
     "partner_support": true, "risk_management": true},
    {"id": "womens", "organisation": "O", "name": "Women", "type": "womens_use_of_violence",
     "area": {"centre": "S1", "radius_km": 80}, "languages": ["en"], "genders": ["female"],
     "risk_levels": ["low", "medium", "high"], "formats": ["group"], "contact": {"phone": "1"},
     "partner_support": true, "risk_management": true},
    {"id": "same-sex", "organisation": "O", "name": "Same sex", "type": "same_sex_relationships",
     "area": {"centre": "M1", "radius_km": 80}, "languages": ["en"], "relationships": ["same_sex"],
     "risk_levels": ["low", "medium", "high"], "formats": ["group", "one_to_one"],
     "contact": {"phone": "1"}, "partner_support": true, "risk_management": true},
    {"id": "london", "organisation": "O", "name": "London", "type": "dapp",
     "area": {"centre": "E1", "radius_km": 15}, "languages": ["en"], "genders": ["male"],
     "risk_levels": ["low", "medium", "high"], "formats": ["group"], "contact": {"phone": "1"},
     "partner_support": true, "risk_management": true},
    {"id": "online", "organisation": "O", "name": "Online", "type": "one_to_one",
     "area": {"nationwide": true}, "languages": ["en", "pl"], "risk_levels": ["low", "medium"],
     "formats": ["online", "one_to_one"], "contact": {"url": "https://example.org"},
     "partner_support": true, "risk_management": true},
    {"id": "unsafe", "organisation": "O", "name": "Unsafe", "type": "dapp",
     "area": {"centre": "LS6", "radius_km": 20}, "languages": ["en", "pl"],
     "risk_levels": ["none", "low", "medium", "high", "imminent"], "formats": ["group", "one_to_one"],
     "contact": {"phone": "1"}, "partner_support": false, "risk_management": true,
     "accreditation": ["respect"]}
  ]
})";

class programme_matcher_test : public ::testing::Test {
 protected:
  void SetUp() override {
    directory = triage::programme_directory::load(dir.write("directory.json", test_directory));
  }
  std::vector<programme_suggestion> match(risk_level level, std::string location = "LS6",
                                          std::string lang = "en") {
    programme_need need;
    need.level = level;
    need.location = std::move(location);
    need.lang = std::move(lang);
    return triage::match_programmes(*directory, postcodes, need, 50);
  }
  std::vector<programme_suggestion> match(const programme_need& need) {
    return triage::match_programmes(*directory, postcodes, need, 50);
  }
  static std::vector<std::string> ids(const std::vector<programme_suggestion>& found) {
    std::vector<std::string> out;
    for (const auto& s : found) out.push_back(s.entry->id);
    return out;
  }
  static bool has(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }
  static const programme_suggestion* find(const std::vector<programme_suggestion>& found,
                                          std::string_view id) {
    for (const auto& s : found) {
      if (s.entry->id == id) return &s;
    }
    return nullptr;
  }

  triage_test::scratch_dir dir;
  std::shared_ptr<const triage::programme_directory> directory;
  triage::postcode_index postcodes = triage::postcode_index::load(
      test_support::source_dir() / "content" / "postcodes" / "uk_outcodes.csv");
};

TEST_F(programme_matcher_test, low_risk_gets_early_response_first) {
  const auto found = ids(match(risk_level::low));
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front(), "early");
  EXPECT_TRUE(has(found, "dapp"));
  EXPECT_FALSE(has(found, "hrhh"));
  EXPECT_FALSE(has(found, "unsafe"));
  // No level at all is treated like low.
  EXPECT_EQ(ids(match(risk_level::none)).front(), "early");
}

TEST_F(programme_matcher_test, medium_risk_gets_dapp_or_one_to_one) {
  const auto found = ids(match(risk_level::medium));
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.front(), "dapp");
  EXPECT_TRUE(has(found, "one-to-one"));
  EXPECT_FALSE(has(found, "early"));
  EXPECT_FALSE(has(found, "hrhh"));
}

TEST_F(programme_matcher_test, high_risk_gets_high_risk_high_harm_first) {
  const auto found = match(risk_level::high);
  const auto list = ids(found);
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(list.front(), "hrhh");
  EXPECT_TRUE(has(list, "dapp"));
  EXPECT_FALSE(has(list, "early"));
  EXPECT_FALSE(has(list, "online"));  // does not accept high risk
  const auto* dapp = find(found, "dapp");
  ASSERT_NE(dapp, nullptr);
  EXPECT_TRUE(has(dapp->reasons, "accepts high risk"));
  EXPECT_TRUE(has(dapp->reasons, "has risk management for high-risk cases"));
  EXPECT_TRUE(has(found.front().reasons, "Respect accredited"));
}

TEST_F(programme_matcher_test, imminent_risk_gets_case_management_after_emergency_action) {
  const auto found = match(risk_level::imminent);
  ASSERT_EQ(ids(found), std::vector<std::string>{"hrhh"});
  ASSERT_FALSE(found[0].reasons.empty());
  EXPECT_EQ(found[0].reasons[0], triage::emergency_first_note);
  EXPECT_NE(found[0].reasons[0].find("999"), std::string::npos);
}

TEST_F(programme_matcher_test, language_need_prefers_sessions_in_that_language) {
  const auto found = match(risk_level::medium, "LS6", "pl");
  const auto list = ids(found);
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(list.front(), "dapp-polish");  // further away, but in Polish
  EXPECT_FALSE(has(list, "dapp"));          // English only, no interpreters
  EXPECT_TRUE(has(found.front().reasons, "offers sessions in Polish"));
  const auto* interpreted = find(found, "one-to-one");
  ASSERT_NE(interpreted, nullptr);
  EXPECT_TRUE(has(interpreted->reasons, "works with an interpreter for Polish"));
}

TEST_F(programme_matcher_test, same_sex_relationships) {
  programme_need need;
  need.level = risk_level::medium;
  need.location = "LS6";
  need.relationship = "same_sex";
  const auto found = match(need);
  const auto list = ids(found);
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(list.front(), "same-sex");
  EXPECT_FALSE(has(list, "dapp"));  // heterosexual only
  EXPECT_TRUE(has(list, "one-to-one"));
  EXPECT_TRUE(has(found.front().reasons, "a programme for people in same-sex relationships"));
  // Not suggested when the relationship is not same-sex.
  EXPECT_FALSE(has(ids(match(risk_level::medium)), "same-sex"));
}

TEST_F(programme_matcher_test, womens_use_of_violence) {
  programme_need need;
  need.level = risk_level::medium;
  need.location = "LS6";
  need.gender = "female";
  const auto found = match(need);
  const auto list = ids(found);
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(list.front(), "womens");
  EXPECT_FALSE(has(list, "dapp"));  // men only
  EXPECT_TRUE(has(found.front().reasons, "a programme for women who use violence or abuse"));
  need.gender = "male";
  EXPECT_FALSE(has(ids(match(need)), "womens"));
}

TEST_F(programme_matcher_test, nearer_programme_ranks_first_and_says_how_far) {
  const auto found = match(risk_level::medium, "LS6");
  const auto* near = find(found, "dapp");
  const auto* far = find(found, "dapp-far");
  ASSERT_TRUE(near && far);
  ASSERT_TRUE(near->distance_km && far->distance_km);
  EXPECT_LT(*near->distance_km, 5);
  EXPECT_GT(*far->distance_km, 15);
  EXPECT_GT(near->score, far->score);
  EXPECT_LT(near - found.data(), far - found.data());
  const std::string expected =
      std::to_string(std::lround(*far->distance_km)) + " km from LS6";
  EXPECT_TRUE(has(far->reasons, expected)) << expected;
  EXPECT_FALSE(has(ids(found), "london"));  // out of its 15 km radius
  EXPECT_TRUE(has(ids(match(risk_level::medium, "E2")), "london"));
}

TEST_F(programme_matcher_test, full_postcode_and_town_work_like_the_district) {
  EXPECT_EQ(ids(match(risk_level::high, "ls6 2ab")), ids(match(risk_level::high, "LS6")));
  EXPECT_EQ(ids(match(risk_level::high, "Leeds")).front(), "hrhh");
}

TEST_F(programme_matcher_test, every_suggestion_has_reasons) {
  for (auto level : {risk_level::none, risk_level::low, risk_level::medium, risk_level::high,
                     risk_level::imminent}) {
    for (const auto& s : match(level)) {
      EXPECT_GE(s.reasons.size(), 3u) << s.entry->id;
      EXPECT_TRUE(has(s.reasons, "partner support and risk management in place")) << s.entry->id;
    }
  }
}

TEST_F(programme_matcher_test, online_programmes_serve_anywhere) {
  const auto far_north = ids(match(risk_level::medium, "ZE1"));  // Shetland
  EXPECT_EQ(far_north, std::vector<std::string>{"online"});
  const auto found = match(risk_level::low, "");
  ASSERT_EQ(ids(found), std::vector<std::string>{"online"});  // no location: online only
  EXPECT_TRUE(has(found[0].reasons, "online: available anywhere in the UK"));
  EXPECT_FALSE(found[0].distance_km);
}

TEST_F(programme_matcher_test, one_to_one_need) {
  programme_need need;
  need.level = risk_level::medium;
  need.location = "LS6";
  need.one_to_one = true;
  const auto found = match(need);
  ASSERT_FALSE(found.empty());
  for (const auto& s : found) EXPECT_TRUE(s.entry->has_format("one_to_one")) << s.entry->id;
}

TEST_F(programme_matcher_test, unknown_location_is_an_error) {
  EXPECT_THROW(match(risk_level::high, "ZZ9 9ZZ"), triage::unknown_location);
  try {
    match(risk_level::high, "Atlantis");
  } catch (const triage::unknown_location& e) {
    EXPECT_NE(std::string(e.what()).find("'Atlantis'"), std::string::npos);
  }
}

TEST_F(programme_matcher_test, limit_is_respected) {
  programme_need need;
  need.level = risk_level::medium;
  need.location = "LS6";
  EXPECT_EQ(triage::match_programmes(*directory, postcodes, need, 2).size(), 2u);
  EXPECT_GT(triage::match_programmes(*directory, postcodes, need, 50).size(), 2u);
}

TEST_F(programme_matcher_test, card_json) {
  const auto found = match(risk_level::high);
  ASSERT_FALSE(found.empty());
  const auto card = triage::to_json(found.front());
  EXPECT_EQ(card.at("id").as_string(), "hrhh");
  EXPECT_EQ(card.at("type").as_string(), "high_risk_high_harm");
  EXPECT_EQ(card.at("contact").as_object().at("phone").as_string(), "1");
  EXPECT_TRUE(card.at("distance_km").is_double());
  EXPECT_EQ(card.at("reasons").as_array().size(), found.front().reasons.size());
  EXPECT_FALSE(card.at("sample").as_bool());
}

}  // namespace
