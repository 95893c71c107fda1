// Content validation: every error names the file and line.
#include "triage/phrase_pack.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "screening_temp_content.hpp"
#include "test_paths.hpp"
#include "triage/content_error.hpp"
#include "triage/screening_engine.hpp"

namespace {

void expect_load_error(const triage_test::screening_temp_content& content, const std::string& where,
                       const std::string& needle) {
  try {
    triage::screening_engine::load(content.root());
    ADD_FAILURE() << "no error, expected " << needle;
  } catch (const triage::content_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(where), std::string::npos) << what;
    EXPECT_NE(what.find(needle), std::string::npos) << what;
  }
}

struct bad_line {
  std::string line, needle;
};

TEST(phrase_pack, invalid_phrases_name_file_and_line) {
  const std::vector<bad_line> cases{
      {"bogus_category\tchoke her", "unknown category or concept id 'bogus_category'"},
      {"strangulation\t", "expected"},
      {"strangulation", "expected"},
      {"strangulation\t~2 her", "cannot start with a gap"},
      {"strangulation\tchoke ~2", "cannot end with a gap"},
      {"strangulation\tchoke ~99 her", "must be ~1 to ~8"},
      {"strangulation\tchoke ~1 ~1 her", "two gaps in a row"},
      {"strangulation\tchoke a||b", "empty alternative"},
      {"strangulation\ther? choke", "cannot start with an optional"},
      {"strangulation\tchoke @nope", "unknown macro '@nope'"},
      {"strangulation\tch* her", "too short"},
      {"strangulation\t!!! her", "has no letters"},
      {"strangulation\tchoke a|ex-wife", "several words"},
      {"strangulation\tstrangl*", "duplicate phrase (same as en/strangulation.tsv:"},
      {"idiom:bogus\tchoke", "unknown category or concept id in 'idiom:bogus'"},
  };
  for (const auto& c : cases) {
    triage_test::screening_temp_content content;
    content.write("risk/en/zz_test.tsv", "# a comment\n\n" + c.line + "\n");
    SCOPED_TRACE(c.line);
    expect_load_error(content, "zz_test.tsv:3", c.needle);
  }
}

TEST(phrase_pack, invalid_support_files_name_file_and_line) {
  {
    triage_test::screening_temp_content content;
    content.append("risk/en/macros.tsv", "@obj\ther|him\n");
    expect_load_error(content, "macros.tsv:", "defined twice");
  }
  {
    triage_test::screening_temp_content content;
    content.write("cues/en/cues.tsv", "excuse\tit was nothing\n");
    expect_load_error(content, "cues.tsv:1", "unknown cue id 'excuse'");
  }
  {
    triage_test::screening_temp_content content;
    content.append("cues/en/responses.tsv", "denial\t\n");
    expect_load_error(content, "responses.tsv:", "expected");
  }
  {
    triage_test::screening_temp_content content;
    content.append("cues/en/responses.tsv", "denial\tYou said \"{quote}\".\tvictim\n");
    expect_load_error(content, "responses.tsv:", "unknown caller type 'victim'");
  }
  {
    triage_test::screening_temp_content content;
    content.append("cues/en/responses.tsv", "denial\t\"{quote}\" and \"{quote}\"\town_behaviour\n");
    expect_load_error(content, "responses.tsv:", "{quote} at most once");
  }
  {
    triage_test::screening_temp_content content;
    content.write("risk/en/language.tsv", "negation_window\t99\n");
    expect_load_error(content, "language.tsv:1", "negation_window");
  }
  {
    triage_test::screening_temp_content content;
    content.write("risk/en/spelling.tsv", "gf\tgirl friend\n");
    expect_load_error(content, "spelling.tsv:1", "one word");
  }
  {
    triage_test::screening_temp_content content;
    content.write("risk/en/zz_test.tsv", "strangulation\tch\xFFoke\n");
    expect_load_error(content, "zz_test.tsv:1", "invalid UTF-8");
  }
  {
    triage_test::screening_temp_content content;
    // No phrase and no frame for a category: English (the fallback) would miss it entirely.
    content.write("risk/en/animal_harm.tsv", "# emptied\n");
    std::ifstream frames(content.root() / "frames/harm.tsv");
    std::string kept;
    for (std::string line; std::getline(frames, line);) {
      if (line.rfind("animal_harm\t", 0) != 0) kept += line + "\n";
    }
    content.write("frames/harm.tsv", kept);
    expect_load_error(content, "risk/en", "no phrase or frame for category 'animal_harm'");
  }
}

TEST(phrase_pack, a_new_language_is_only_data) {
  triage_test::screening_temp_content content;
  content.write("risk/de/patterns.tsv",
                "# German, minimal\nstrangulation\twürg*\nnegation\tnie|nicht\nidiom\twürgte ~1 vor ~1 lachen\n");
  content.write("risk/de/macros.tsv", "@obj\tsie|ihn|mich\n");
  content.write("cues/de/responses.tsv", "denial\tIch bin nicht hier, um Sie zu verurteilen.\n");
  const auto engine = triage::screening_engine::load(content.root());
  ASSERT_TRUE(engine->has_language("de"));
  const std::string text = "Ich WÜRGTE sie";
  const auto r = engine->screen(text, "de");
  ASSERT_EQ(r.flags.size(), 1u);
  EXPECT_EQ(r.flags[0].match, "WÜRGTE");
  EXPECT_EQ(r.flags[0].rule, "de/patterns.tsv:2 würg*");
  EXPECT_TRUE(engine->screen("ich würde sie nie würgen", "de").flags.empty());
  EXPECT_TRUE(engine->screen("ich würgte vor Lachen", "de").flags.empty());
  EXPECT_EQ(engine->cue_responses("denial", "de").front().text, "Ich bin nicht hier, um Sie zu verurteilen.");
  EXPECT_EQ(engine->category("weapon", "de")->label, "Weapon");  // English fallback
}

TEST(phrase_pack, spelling_variants_and_known_words_are_data) {
  triage_test::screening_temp_content content;
  content.append("risk/en/spelling.tsv", "xtrangled\tstrangled\n");
  content.write("risk/en/known_words.txt", "chokd\n");
  const auto engine = triage::screening_engine::load(content.root());
  auto categories = [](const triage::screening_result& r) {
    std::set<std::string> out;
    for (const auto& f : r.flags) out.insert(f.category);
    return out;
  };
  EXPECT_TRUE(categories(engine->screen("I xtrangled her", "en")).count("strangulation"));
  EXPECT_TRUE(engine->screen("chokd her", "en").flags.empty());
  const auto stock = triage::screening_engine::load(test_support::source_dir() / "content");
  EXPECT_FALSE(stock->screen("chokd her", "en").flags.empty());  // corrected to "choked"
  EXPECT_FALSE(categories(stock->screen("I xtrangled her", "en")).count("strangulation"));  // a first-letter error is never corrected: only the variant maps it
}

}  // namespace
