// Loading the programme directory: validation, and unsafe programmes marked and never suggested.
#include "triage/programme_directory.hpp"

#include <gtest/gtest.h>

#include "test_paths.hpp"
#include "triage/content_error.hpp"
#include "triage/postcode_index.hpp"
#include "triage/programme_matcher.hpp"
#include "triage_scratch_dir.hpp"

namespace {

using triage::content_error;
using triage::programme_directory;
using triage::risk_level;

const std::filesystem::path shipped_directory =
    test_support::source_dir() / "content" / "programmes" / "directory.json";

std::string entry(std::string_view id, std::string_view extra = "") {
  return R"({"id": ")" + std::string(id) + R"(", "organisation": "Test Org", "name": "Test",
    "type": "dapp", "area": {"centre": "LS1", "radius_km": 30}, "languages": ["en"],
    "risk_levels": ["low", "medium", "high"], "formats": ["group"],
    "contact": {"phone": "0113 496 0000"}, "partner_support": true, "risk_management": true)" +
         std::string(extra) + "}";
}

std::string directory(std::initializer_list<std::string> entries) {
  std::string out = "{\n\"programmes\": [\n";
  bool first = true;
  for (const auto& e : entries) {
    out += (first ? "" : ",\n") + e;
    first = false;
  }
  return out + "\n]}\n";
}

std::string load_error(const triage_test::scratch_dir& dir, const std::string& text) {
  const auto file = dir.write("directory.json", text);
  try {
    programme_directory::load(file);
  } catch (const content_error& e) {
    return e.what();
  }
  return "loaded";
}

TEST(programme_directory_test, shipped_sample_is_valid_and_marked) {
  const auto dir = programme_directory::load(shipped_directory);
  EXPECT_TRUE(dir->sample());
  EXPECT_GE(dir->programmes().size(), 20u);
  EXPECT_LE(dir->programmes().size(), 40u);
  for (const auto& p : dir->programmes()) {
    EXPECT_TRUE(p.sample) << p.id;
    EXPECT_NE(p.notes.find("SAMPLE"), std::string::npos) << p.id;
  }
  // Every programme type is represented.
  for (auto type : {triage::programme_type::early_response, triage::programme_type::dapp,
                    triage::programme_type::one_to_one, triage::programme_type::high_risk_high_harm,
                    triage::programme_type::womens_use_of_violence,
                    triage::programme_type::same_sex_relationships}) {
    bool found = false;
    for (const auto& p : dir->programmes()) found = found || (p.type == type && p.safe());
    EXPECT_TRUE(found) << triage::to_string(type);
  }
  // Every centre code resolves in the shipped postcode table.
  const auto postcodes = triage::postcode_index::load(test_support::source_dir() / "content" /
                                                      "postcodes" / "uk_outcodes.csv");
  for (const auto& p : dir->programmes()) {
    if (!p.area.centre_code.empty()) {
      EXPECT_TRUE(postcodes.resolve(p.area.centre_code)) << p.id << " " << p.area.centre_code;
    }
  }
}

TEST(programme_directory_test, unsafe_programmes_are_marked_with_a_warning) {
  const auto dir = programme_directory::load(shipped_directory);
  const auto* unsafe = dir->find("leeds-quick-anger-course");
  ASSERT_NE(unsafe, nullptr);
  EXPECT_FALSE(unsafe->safe());
  const auto* no_risk_management = dir->find("manchester-calm-minds");
  ASSERT_NE(no_risk_management, nullptr);
  EXPECT_TRUE(no_risk_management->partner_support);
  EXPECT_FALSE(no_risk_management->safe());
  ASSERT_EQ(dir->warnings().size(), 2u);
  EXPECT_NE(dir->warnings()[0].find("directory.json:"), std::string::npos);
  EXPECT_NE(dir->warnings()[0].find("'leeds-quick-anger-course' is unsafe"), std::string::npos);
  EXPECT_NE(dir->warnings()[1].find("no risk management"), std::string::npos);
}

TEST(programme_directory_test, unsafe_programmes_are_never_suggested) {
  triage_test::scratch_dir scratch;
  // Identical programmes at the same place, except that one has no partner support and one no
  // risk management: only the safe one may be suggested.
  const auto file = scratch.write(
      "directory.json",
      directory({entry("safe"), entry("no-partner-support", R"(, "partner_support": false)"),
                 entry("no-risk-management", R"(, "risk_management": false)")}));
  const auto dir = programme_directory::load(file);
  ASSERT_EQ(dir->programmes().size(), 3u);
  EXPECT_EQ(dir->warnings().size(), 2u);
  const auto postcodes = triage::postcode_index::load(test_support::source_dir() / "content" /
                                                      "postcodes" / "uk_outcodes.csv");
  for (auto level : {risk_level::none, risk_level::low, risk_level::medium, risk_level::high}) {
    triage::programme_need need;
    need.level = level;
    need.location = "LS6";
    const auto found = triage::match_programmes(*dir, postcodes, need, 50);
    for (const auto& s : found) EXPECT_EQ(s.entry->id, "safe") << to_string(level);
    EXPECT_EQ(found.size(), 1u) << to_string(level);
  }
  // Across the whole shipped sample, at every level and in many places, too.
  const auto sample = programme_directory::load(shipped_directory);
  for (auto level : {risk_level::none, risk_level::low, risk_level::medium, risk_level::high,
                     risk_level::imminent}) {
    for (const char* where : {"LS6", "M4", "LS1 1AA", "Leeds", "B1", "E1", "G1", ""}) {
      triage::programme_need need;
      need.level = level;
      need.location = where;
      for (const auto& s : triage::match_programmes(*sample, postcodes, need, 50)) {
        EXPECT_TRUE(s.entry->safe()) << s.entry->id;
      }
    }
  }
}

TEST(programme_directory_test, invalid_entries_are_refused_with_file_line_and_id) {
  triage_test::scratch_dir dir;
  auto error = load_error(dir, directory({entry("a"), entry("b", R"(, "type": "anger_course")")}));
  EXPECT_NE(error.find("directory.json:"), std::string::npos) << error;
  EXPECT_NE(error.find("programme 'b': unknown type 'anger_course'"), std::string::npos) << error;
  // Line of entry b: line 3 is entry a's first line, each entry spans 4 lines.
  EXPECT_NE(error.find("directory.json:7:"), std::string::npos) << error;

  error = load_error(dir, directory({entry("a", R"(, "risk_levels": ["severe"])")}));
  EXPECT_NE(error.find("unknown risk level 'severe'"), std::string::npos) << error;
  error = load_error(dir, directory({entry("a"), entry("a")}));
  EXPECT_NE(error.find("'a' used twice"), std::string::npos) << error;
  error = load_error(dir, directory({entry("a", R"(, "area": {"codes": ["LEEDS"]})")}));
  EXPECT_NE(error.find("area code 'LEEDS'"), std::string::npos) << error;
  error = load_error(dir, directory({entry("a", R"(, "area": {"centre": "LS1"})")}));
  EXPECT_NE(error.find("serves nowhere"), std::string::npos) << error;
  error = load_error(dir, directory({entry("a", R"(, "type": "womens_use_of_violence", "genders": ["male"])")}));
  EXPECT_NE(error.find("must accept gender 'female'"), std::string::npos) << error;
  error = load_error(dir, directory({entry("a", R"(, "genders": ["men"])")}));
  EXPECT_NE(error.find("unknown genders value 'men'"), std::string::npos) << error;
  error = load_error(dir, directory({entry("a", R"(, "contact": {})")}));
  EXPECT_NE(error.find("contact needs a phone, email or url"), std::string::npos) << error;
  error = load_error(dir, directory({entry("a", R"(, "partner_suport": true)")}));
  EXPECT_NE(error.find("unknown field 'partner_suport'"), std::string::npos) << error;
  error = load_error(dir, "{\"programmes\": [\n" + entry("a") + ",,]}");
  EXPECT_NE(error.find("invalid JSON"), std::string::npos) << error;
  EXPECT_EQ(load_error(dir, directory({entry("a")})), "loaded");
}

TEST(programme_directory_test, every_bad_entry_is_reported_in_one_pass_with_its_line) {
  triage_test::scratch_dir dir;
  const auto file = dir.write("directory.json", directory({entry("a"), entry("b", R"(, "type": "anger_course")"),
                                                            entry("c"), entry("d", R"(, "genders": ["men"])"),
                                                            entry("c")}));
  try {
    programme_directory::load(file);
    FAIL() << "a directory with three bad entries loaded";
  } catch (const content_error& e) {
    const auto& problems = e.problems();
    ASSERT_EQ(problems.size(), 3u) << e.what();
    EXPECT_NE(problems[0].find("directory.json:7: programme 'b': unknown type 'anger_course'"), std::string::npos)
        << problems[0];
    EXPECT_NE(problems[1].find("directory.json:15: programme 'd': unknown genders value 'men'"), std::string::npos)
        << problems[1];
    EXPECT_NE(problems[2].find("directory.json:19: programme id 'c' used twice"), std::string::npos) << problems[2];
    EXPECT_EQ(e.line(), 7u) << "file() and line() are the first problem's";
    EXPECT_NE(std::string(e.what()).find(problems[2]), std::string::npos) << "what() lists them all";
  }

  // A wholly wrong file: fifty problems listed, then a count of the rest.
  std::string many = "{\n\"programmes\": [\n";
  for (int i = 0; i < 70; ++i) many += (i ? ",\n" : "") + entry("p" + std::to_string(i), R"(, "formats": [])");
  many += "\n]}\n";
  try {
    programme_directory::load(dir.write("directory.json", many));
    FAIL() << "a directory of bad entries loaded";
  } catch (const content_error& e) {
    ASSERT_EQ(e.problems().size(), 51u);
    EXPECT_NE(e.problems().back().find("20 more programmes have problems"), std::string::npos) << e.problems().back();
  }
}

}  // namespace
