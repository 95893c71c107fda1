#include "triage/level_rules.hpp"

#include <gtest/gtest.h>

#include "screening_temp_content.hpp"
#include "test_paths.hpp"
#include "triage/content_error.hpp"
#include "triage/conversation_risk.hpp"
#include "triage/screening_engine.hpp"

namespace {

using triage::risk_level;

TEST(level_rules, taxonomy_levels_and_combinations) {
  const auto rules = triage::level_rules::load(test_support::source_dir() / "content/rules");
  EXPECT_EQ(rules.level_for({}), risk_level::none);
  EXPECT_EQ(rules.level_for({"substance_misuse"}), risk_level::low);
  EXPECT_EQ(rules.level_for({"physical_violence"}), risk_level::medium);
  EXPECT_EQ(rules.level_for({"physical_violence", "stalking"}), risk_level::medium);
  EXPECT_EQ(rules.level_for({"weapon"}), risk_level::high);
  EXPECT_EQ(rules.level_for({"imminent_danger", "substance_misuse"}), risk_level::imminent);
  EXPECT_EQ(rules.level_for({"pregnancy", "physical_violence"}), risk_level::high);
  EXPECT_EQ(rules.level_for({"separation", "stalking"}), risk_level::high);
  EXPECT_EQ(rules.level_for({"escalation", "coercive_control", "animal_harm"}), risk_level::high);
  EXPECT_EQ(rules.level_for({"escalation", "coercive_control", "substance_misuse"}), risk_level::medium);
  EXPECT_EQ(rules.level_for({"minimisation", "denial", "justification"}), risk_level::none);  // cues never count
}

TEST(level_rules, a_combination_rule_added_as_data_fires) {
  triage_test::screening_temp_content content;
  content.append("rules/levels.tsv", "all\tsubstance_misuse animal_harm\thigh\n");
  const auto engine = triage::screening_engine::load(content.root());
  EXPECT_EQ(engine->level_for({"substance_misuse", "animal_harm"}), risk_level::high);
  EXPECT_EQ(engine->level_for({"animal_harm"}), risk_level::medium);
  const auto r = engine->screen("I was drunk and I kicked the dog", "en");
  EXPECT_EQ(r.level, risk_level::high);

  const auto stock = triage::screening_engine::load(test_support::source_dir() / "content");
  EXPECT_EQ(stock->screen("I was drunk and I kicked the dog", "en").level, risk_level::medium);
}

TEST(level_rules, invalid_rules_name_file_and_line) {
  triage_test::screening_temp_content content;
  auto expect_error = [&](const std::string& line, const std::string& needle) {
    content.write("rules/levels.tsv", "# comment\n\nall\tpregnancy physical_violence\thigh\n" + line + "\n");
    try {
      triage::level_rules::load(content.root() / "rules");
      ADD_FAILURE() << "no error for: " << line;
    } catch (const triage::content_error& e) {
      EXPECT_NE(std::string(e.what()).find("levels.tsv:4"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
      EXPECT_EQ(e.line(), 4u);
    }
  };
  expect_error("all\tpregnancy bogus\thigh", "unknown category id 'bogus'");
  expect_error("all\tpregnancy\thigh", "two or more");
  expect_error("count\tmedium x\thigh", "'count' needs");
  expect_error("all\tpregnancy stalking\tsevere", "unknown level");
  expect_error("any\tpregnancy stalking\thigh", "unknown rule kind");
  expect_error("all\tphysical_violence pregnancy\thigh", "duplicate rule");
  expect_error("all\tpregnancy stalking", "expected");
}

TEST(conversation_risk, accumulates_categories_across_messages) {
  const auto engine = triage::screening_engine::load(test_support::source_dir() / "content");
  triage::conversation_risk risk(engine);
  EXPECT_EQ(risk.level(), risk_level::none);
  risk.add(engine->screen("she says she wants to end it", "en"));
  EXPECT_EQ(risk.level(), risk_level::medium);
  risk.add(engine->screen("it was nothing really", "en"));  // a cue only
  EXPECT_EQ(risk.level(), risk_level::medium);
  risk.add(engine->screen("I wait by her car after every shift", "en"));
  EXPECT_EQ(risk.level(), risk_level::high);
  EXPECT_EQ(risk.categories(), (std::set<std::string>{"separation", "stalking"}));
  risk.add_category("imminent_danger");
  EXPECT_EQ(risk.level(), risk_level::imminent);
  risk.add_category("not_a_category");
  EXPECT_EQ(risk.categories().count("not_a_category"), 0u);
}

TEST(conversation_risk, scripted_answers_count_like_messages) {
  const auto engine = triage::screening_engine::load(test_support::source_dir() / "content");
  triage::conversation_risk risk(engine);
  risk.add_category("pregnancy");
  EXPECT_EQ(risk.level(), risk_level::medium);
  risk.add(engine->screen("I slapped her", "en"));
  EXPECT_EQ(risk.level(), risk_level::high);
}

}  // namespace
