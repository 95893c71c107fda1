#include "triage/screen_command.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <sstream>

#include "test_paths.hpp"

namespace {

const triage::screening_engine& engine() {
  static const auto e = triage::screening_engine::load(test_support::source_dir() / "content");
  return *e;
}

std::vector<boost::json::object> run(const std::string& input, std::string_view default_lang = "en", int* code = nullptr) {
  std::istringstream in(input);
  std::ostringstream out;
  const int rc = triage::run_screen_command(in, out, engine(), default_lang);
  if (code) *code = rc;
  std::vector<boost::json::object> lines;
  std::istringstream result(out.str());
  for (std::string line; std::getline(result, line);) lines.push_back(boost::json::parse(line).as_object());
  EXPECT_TRUE(out.str().empty() || out.str().back() == '\n');
  return lines;
}

TEST(screen_command, screens_each_line_in_order) {
  int code = -1;
  const auto out = run(
      "{\"id\": 1, \"text\": \"I put my hands round her neck\", \"lang\": \"en\"}\n"
      "{\"id\": \"b\", \"text\": \"hello\"}\n"
      "{\"id\": 3, \"text\": \"it was only a shove\"}\n",
      "en", &code);
  EXPECT_EQ(code, 0);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].at("id"), 1);
  EXPECT_EQ(out[0].at("level"), "high");
  const auto& flag = out[0].at("flags").as_array().at(0).as_object();
  EXPECT_EQ(flag.at("category"), "strangulation");
  EXPECT_EQ(flag.at("start"), 9);
  EXPECT_EQ(flag.at("end"), 29);
  EXPECT_EQ(flag.at("match"), "hands round her neck");
  EXPECT_EQ(out[1].at("id"), "b");
  EXPECT_EQ(out[1].at("level"), "none");
  EXPECT_TRUE(out[1].at("flags").as_array().empty());
  EXPECT_TRUE(out[1].at("cues").as_array().empty());
  const auto& cue = out[2].at("cues").as_array().at(0).as_object();
  EXPECT_EQ(cue.at("cue"), "minimisation");
  EXPECT_EQ(cue.at("start"), 0);  // "it was only"
  EXPECT_EQ(cue.at("end"), 11);
}

TEST(screen_command, invalid_lines_get_an_error_and_the_run_goes_on) {
  const auto out = run(
      "{not json\n"
      "{\"id\": {\"conv\": 7, \"seq\": [1, 2]}, \"txt\": \"oops\"}\n"
      "[1, 2]\n"
      "{\"id\": null, \"text\": 5}\n"
      "{\"id\": 9, \"text\": \"I choked her\", \"lang\": 3}\n"
      "\n"
      "   \r\n"
      "{\"id\": 10, \"text\": \"I choked her\"}");
  ASSERT_EQ(out.size(), 6u);  // blank lines are skipped
  EXPECT_TRUE(out[0].contains("error"));
  EXPECT_FALSE(out[0].contains("id"));
  EXPECT_TRUE(out[1].contains("error"));
  EXPECT_EQ(out[1].at("id"), boost::json::parse(R"({"conv": 7, "seq": [1, 2]})"));
  EXPECT_TRUE(out[2].contains("error"));
  EXPECT_TRUE(out[3].contains("error"));
  EXPECT_TRUE(out[3].at("id").is_null());
  EXPECT_TRUE(out[4].contains("error"));
  EXPECT_EQ(out[4].at("id"), 9);
  EXPECT_EQ(out[5].at("id"), 10);  // last line without a newline is screened
  EXPECT_EQ(out[5].at("level"), "high");
}

TEST(screen_command, id_is_echoed_as_any_json_value) {
  const auto out = run(
      "{\"id\": [1, \"x\"], \"text\": \"hi\"}\n"
      "{\"id\": 1.5, \"text\": \"hi\"}\n"
      "{\"id\": true, \"text\": \"hi\"}\n"
      "{\"text\": \"hi\"}\n"
      "{\"id\": \"a\\\"b\\n\", \"text\": \"hi\"}\n");
  ASSERT_EQ(out.size(), 5u);
  EXPECT_EQ(out[0].at("id"), boost::json::parse(R"([1, "x"])"));
  EXPECT_EQ(out[1].at("id"), 1.5);
  EXPECT_EQ(out[2].at("id"), true);
  EXPECT_TRUE(out[3].at("id").is_null());
  EXPECT_EQ(out[4].at("id"), "a\"b\n");
}

TEST(screen_command, default_language_applies_when_lang_is_missing) {
  const std::string line = "{\"id\": 1, \"text\": \"dusiłem ją\"}\n";
  EXPECT_EQ(run(line, "pl").at(0).at("level"), "high");
  EXPECT_EQ(run(line, "en").at(0).at("level"), "none");
  EXPECT_EQ(run("{\"id\": 1, \"text\": \"dusiłem ją\", \"lang\": \"pl\"}\n", "en").at(0).at("level"), "high");
}

TEST(screen_command, offsets_are_bytes_and_match_text_is_escaped) {
  const auto out = run("{\"id\": 1, \"text\": \"\\\"Ñ\\\" \\t la ESTRANGULÉ\", \"lang\": \"es\"}\n");
  ASSERT_EQ(out.size(), 1u);
  const auto& flag = out[0].at("flags").as_array().at(0).as_object();
  const std::string text = "\"Ñ\" \t la ESTRANGULÉ";
  EXPECT_EQ(flag.at("start").as_int64(), static_cast<std::int64_t>(text.find("ESTRANGUL")));
  EXPECT_EQ(flag.at("end").as_int64(), static_cast<std::int64_t>(text.size()));
  EXPECT_EQ(flag.at("match"), "ESTRANGULÉ");
}

TEST(screen_command, many_lines_across_read_chunks) {
  std::string input;
  const int n = 30000;
  for (int i = 0; i < n; ++i) {
    input += "{\"id\": " + std::to_string(i) + ", \"text\": \"" + (i % 3 ? "hello there" : "I slapped her") + "\"}\n";
  }
  const auto out = run(input);
  ASSERT_EQ(out.size(), static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    ASSERT_EQ(out[static_cast<std::size_t>(i)].at("id"), i);
    ASSERT_EQ(out[static_cast<std::size_t>(i)].at("level"), i % 3 ? "none" : "medium");
  }
}

TEST(screen_command, overlong_line_is_an_error_and_the_next_line_is_screened) {
  std::string input = "{\"id\": 1, \"text\": \"" + std::string(1200000, 'a') + "\"}\n";
  input += "{\"id\": 2, \"text\": \"I slapped her\"}\n";
  const auto out = run(input);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[0].contains("error"));
  EXPECT_EQ(out[1].at("id"), 2);
}

}  // namespace
