// Answering a screening script: branching, categories, refusal of answers the script cannot take.
#include "triage/screening_script.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "test_paths.hpp"
#include "triage/script_catalogue.hpp"

namespace {

using triage::caller_type;
using triage::invalid_answer;

class screening_script_test : public ::testing::Test {
 protected:
  std::shared_ptr<const triage::script_catalogue> catalogue =
      triage::script_catalogue::load(test_support::source_dir() / "content");
  const triage::screening_script& own = catalogue->find(caller_type::own_behaviour, "en");
};

TEST_F(screening_script_test, danger_now_yes_is_imminent_and_ends_the_script) {
  ASSERT_EQ(own.first().id, "danger_now");
  EXPECT_EQ(own.first().purpose, "immediate_danger");
  const auto step = own.answer("danger_now", "yes");
  EXPECT_EQ(step.categories, std::vector<std::string>{"imminent_danger"});
  EXPECT_EQ(step.next, nullptr);  // straight to an advisor
}

TEST_F(screening_script_test, answers_branch_and_carry_categories) {
  auto step = own.answer("danger_now", "no");
  EXPECT_TRUE(step.categories.empty());
  ASSERT_NE(step.next, nullptr);
  EXPECT_EQ(step.next->id, "what_worries");
  step = own.answer("what_worries", "physical");
  EXPECT_EQ(step.categories, std::vector<std::string>{"physical_violence"});
  ASSERT_NE(step.next, nullptr);
  EXPECT_EQ(step.next->id, "children");
  step = own.answer("children", "yes_saw");
  EXPECT_EQ(step.categories, std::vector<std::string>{"child_harm"});
  step = own.answer("recent_change", "both");
  EXPECT_EQ(step.categories, (std::vector<std::string>{"escalation", "separation"}));
  ASSERT_NE(step.next, nullptr);
  EXPECT_EQ(step.next->type, triage::script_question::kind::free_text);
  step = own.answer(step.next->id, "We argued last night and I frightened her.");
  EXPECT_TRUE(step.categories.empty());  // free text is screened by the engine, not the script
  EXPECT_EQ(step.next, nullptr);
}

TEST_F(screening_script_test, unknown_question_or_option_is_refused) {
  EXPECT_THROW(own.answer("no_such_question", "yes"), invalid_answer);
  EXPECT_THROW(own.answer("danger_now", "maybe"), invalid_answer);
  EXPECT_THROW(own.answer("danger_now", ""), invalid_answer);
  EXPECT_THROW(own.answer("danger_now", "Yes"), invalid_answer);  // values, not labels
}

TEST_F(screening_script_test, free_text_is_bounded) {
  const std::string ok(triage::screening_script::max_free_text_bytes, 'a');
  EXPECT_NO_THROW(own.answer("anything_else", ok));
  EXPECT_THROW(own.answer("anything_else", ok + "a"), invalid_answer);
}

TEST_F(screening_script_test, show_services_travels_with_the_step) {
  const auto& victim = catalogue->find(caller_type::experiencing_abuse, "en");
  EXPECT_TRUE(victim.answer("danger_now", "yes").show_services);
  EXPECT_FALSE(victim.answer("danger_now", "no").show_services);
  EXPECT_TRUE(victim.answer("help", "services").show_services);
}

TEST_F(screening_script_test, find_returns_questions_by_id) {
  ASSERT_NE(own.find("children"), nullptr);
  EXPECT_EQ(own.find("children")->id, "children");
  EXPECT_EQ(own.find("nope"), nullptr);
}

TEST_F(screening_script_test, question_json_is_what_the_widget_shows) {
  const auto json = triage::to_json(own.first());
  EXPECT_EQ(json.at("id").as_string(), "danger_now");
  EXPECT_EQ(json.at("kind").as_string(), "choice");
  EXPECT_EQ(json.at("text").as_string(), own.first().text);
  const auto& options = json.at("options").as_array();
  ASSERT_EQ(options.size(), own.first().options.size());
  EXPECT_EQ(options[0].as_object().at("value").as_string(), "yes");
  EXPECT_EQ(options[0].as_object().at("label").as_string(), "Yes");
  // Categories stay on the server.
  EXPECT_FALSE(options[0].as_object().contains("categories"));
  const auto free = triage::to_json(*own.find("anything_else"));
  EXPECT_EQ(free.at("kind").as_string(), "free_text");
  EXPECT_TRUE(free.at("options").as_array().empty());
}

}  // namespace
