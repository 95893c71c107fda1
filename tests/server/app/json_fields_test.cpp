// Reading clients' frames: text length in characters as the widget counts them, and frames that
// spell a key twice.
#include "app/json_fields.hpp"

#include <gtest/gtest.h>

#include <string>

#include "app/protocol_error.hpp"

namespace helpline {
namespace {

TEST(json_fields, text_length_is_counted_in_characters_not_bytes) {
  std::string arabic;
  for (int i = 0; i < 10; ++i) arabic += "\xD8\xB3";  // U+0633, two bytes each
  EXPECT_EQ(json_fields::utf8_length(arabic), 10u);
  EXPECT_EQ(json_fields::utf8_length("\xF0\x9F\x99\x82"), 1u) << "an emoji is one character";
  EXPECT_NO_THROW(json_fields::check_text_length(arabic, 10));
  try {
    json_fields::check_text_length(arabic + "\xD8\xB3", 10);
    ADD_FAILURE() << "11 characters passed a 10-character limit";
  } catch (const protocol_error& e) {
    EXPECT_EQ(e.code(), "too_long");
    EXPECT_NE(std::string(e.what()).find("10 characters"), std::string::npos);
  }
}

TEST(json_fields, members_are_counted_as_written_so_a_repeated_key_shows) {
  EXPECT_EQ(json_fields::top_level_member_count(R"({"type": "message", "text": "a: b, {c}"})"), 2u)
      << "colons and braces inside strings do not count";
  EXPECT_EQ(json_fields::top_level_member_count(R"({"type": "message", "card": {"k": 1, "l": [1, {"m": 2}]}})"), 2u)
      << "nested members do not count";
  EXPECT_EQ(json_fields::top_level_member_count(R"({"type": "message", "text": "he said \"x:\"", "type": "end"})"), 3u);
  EXPECT_EQ(json_fields::top_level_member_count("{}"), 0u);
}

}  // namespace
}  // namespace helpline
