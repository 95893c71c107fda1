// `helpline programmes` on the shipped sample content.
#include "triage/programmes_command.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>

#include "test_paths.hpp"

namespace {

const std::filesystem::path content = test_support::source_dir() / "content";

TEST(programmes_command_test, leeds_high_risk_in_english) {
  std::ostringstream out, err;
  ASSERT_EQ(triage::run_programmes_command({"--postcode", "LS6", "--level", "high", "--lang", "en"},
                                           content, out, err),
            0)
      << err.str();
  const auto result = boost::json::parse(out.str()).as_object();
  EXPECT_EQ(result.at("query").at("level").as_string(), "high");
  const auto& suggestions = result.at("suggestions").as_array();
  ASSERT_GE(suggestions.size(), 3u);
  EXPECT_LE(suggestions.size(), 5u);
  // High risk in Leeds: the high-risk high-harm service first.
  EXPECT_EQ(suggestions[0].at("type").as_string(), "high_risk_high_harm");
  EXPECT_EQ(suggestions[0].at("id").as_string(), "west-yorkshire-hrhh");
  double previous = 1e9;
  for (const auto& v : suggestions) {
    const auto& card = v.as_object();
    const std::string id(card.at("id").as_string());
    EXPECT_NE(id, "leeds-quick-anger-course");  // unsafe: never suggested
    EXPECT_NE(card.at("type").as_string(), "early_response") << id;
    EXPECT_TRUE(card.at("sample").as_bool()) << id;
    const double score = card.at("score").to_number<double>();
    EXPECT_LE(score, previous) << id;
    previous = score;
    bool accepts_high = false, distance = false;
    for (const auto& r : card.at("reasons").as_array()) {
      const std::string reason(r.as_string());
      accepts_high = accepts_high || reason == "accepts high risk";
      distance = distance || reason.ends_with(" km from LS6");
    }
    EXPECT_TRUE(accepts_high) << id;
    EXPECT_TRUE(distance) << id;
  }
  EXPECT_FALSE(result.contains("note"));
  EXPECT_TRUE(result.contains("warning"));  // sample data
  // Only the load warnings about the two deliberately unsafe sample entries.
  EXPECT_NE(err.str().find("'leeds-quick-anger-course' is unsafe"), std::string::npos);
  EXPECT_EQ(err.str().find("error"), std::string::npos) << err.str();
}

TEST(programmes_command_test, imminent_carries_the_emergency_note) {
  std::ostringstream out, err;
  ASSERT_EQ(triage::run_programmes_command({"--postcode", "B5", "--level", "imminent"}, content,
                                           out, err),
            0)
      << err.str();
  const auto result = boost::json::parse(out.str()).as_object();
  EXPECT_NE(std::string(result.at("note").as_string()).find("999"), std::string::npos);
  for (const auto& v : result.at("suggestions").as_array()) {
    EXPECT_EQ(v.at("type").as_string(), "high_risk_high_harm");
  }
  EXPECT_FALSE(result.at("suggestions").as_array().empty());
}

TEST(programmes_command_test, polish_one_to_one_limit) {
  std::ostringstream out, err;
  ASSERT_EQ(triage::run_programmes_command({"--postcode", "ls6 2ab", "--level", "medium", "--lang",
                                            "pl", "--one-to-one", "--limit", "2"},
                                           content, out, err),
            0)
      << err.str();
  const auto result = boost::json::parse(out.str()).as_object();
  const auto& suggestions = result.at("suggestions").as_array();
  ASSERT_EQ(suggestions.size(), 2u);
  for (const auto& v : suggestions) {
    const auto& formats = v.at("formats").as_array();
    EXPECT_NE(std::find(formats.begin(), formats.end(), boost::json::value("one_to_one")),
              formats.end());
  }
}

TEST(programmes_command_test, errors_exit_2_with_a_message) {
  struct bad_case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<bad_case> cases{
      {{"--postcode", "ZZ9 9ZZ", "--level", "high"}, "unknown postcode"},
      {{"--postcode", "LS6"}, "--level is required"},
      {{"--postcode", "LS6", "--level", "severe"}, "unknown level 'severe'"},
      {{"--postcode", "LS6", "--level", "high", "--gender", "man"}, "--gender"},
      {{"--postcode", "LS6", "--level", "high", "--limit", "0"}, "--limit"},
      {{"--postcode", "LS6", "--level", "high", "--bogus"}, "unknown argument '--bogus'"},
      {{"--postcode"}, "--postcode needs a value"},
      {{"--level", "high", "--content", "/no/such/dir"}, "invalid content"},
  };
  for (const auto& c : cases) {
    std::ostringstream out, err;
    EXPECT_EQ(triage::run_programmes_command(c.args, content, out, err), 2) << c.message;
    EXPECT_NE(err.str().find(c.message), std::string::npos) << err.str();
    EXPECT_TRUE(out.str().empty()) << c.message;
  }
}

}  // namespace
