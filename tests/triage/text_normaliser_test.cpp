#include "triage/text_normaliser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

std::vector<std::string> words(const triage::text_normaliser& n, std::string_view text) {
  return n.normalise_words(text);
}

TEST(text_normaliser, folds_case_and_removes_accents) {
  triage::text_normaliser n;
  EXPECT_EQ(words(n, "I CHOKED Her"), (std::vector<std::string>{"i", "choked", "her"}));
  EXPECT_EQ(words(n, "amenacé cuchillo ahorqué"), (std::vector<std::string>{"amenace", "cuchillo", "ahorque"}));
  EXPECT_EQ(words(n, "Straße"), (std::vector<std::string>{"strasse"}));
}

TEST(text_normaliser, polish_stroke_l_and_ogonek_match_plain_letters) {
  triage::text_normaliser n;
  EXPECT_EQ(words(n, "pobiłem ją"), words(n, "pobilem ja"));
  EXPECT_EQ(words(n, "UDUSIŁEM żonę"), (std::vector<std::string>{"udusilem", "zone"}));
}

TEST(text_normaliser, decomposed_accents_give_the_same_token) {
  triage::text_normaliser n;
  EXPECT_EQ(words(n, "amenace\xCC\x81"), words(n, "amenacé"));  // e + combining acute
}

TEST(text_normaliser, keep_marks_keeps_listed_letters) {
  triage::text_normaliser n("ñ");
  EXPECT_EQ(words(n, "AÑO años"), (std::vector<std::string>{"año", "años"}));
}

TEST(text_normaliser, apostrophes_inside_words_are_dropped) {
  triage::text_normaliser n;
  EXPECT_EQ(words(n, "won't she’s WONT shes"), (std::vector<std::string>{"wont", "shes", "wont", "shes"}));
  EXPECT_EQ(words(n, "'quoted' parents'"), (std::vector<std::string>{"quoted", "parents"}));
}

TEST(text_normaliser, offsets_point_into_the_original_text) {
  triage::text_normaliser n;
  triage::normalised_text out;
  const std::string text = "Zażółć  GĘŚLĄ, jaźń!";
  n.normalise(text, out);
  ASSERT_EQ(out.tokens.size(), 3u);
  EXPECT_EQ(out.token_text(out.tokens[1]), "gesla");
  EXPECT_EQ(text.substr(out.tokens[1].src_begin, out.tokens[1].src_end - out.tokens[1].src_begin), "GĘŚLĄ");
  EXPECT_EQ(out.tokens[1].break_before, triage::token_break::none);
  EXPECT_EQ(out.tokens[2].break_before, triage::token_break::clause);
  // Every normalised byte maps back to the start of the code point it came from.
  const auto g = out.tokens[1].norm_begin;
  EXPECT_EQ(out.original_offset(g), out.tokens[1].src_begin);
  EXPECT_EQ(text.substr(out.original_offset(g + 1), 2), "Ę");
  EXPECT_EQ(out.original_offset(out.text.size()), text.size());
}

TEST(text_normaliser, sentence_punctuation_is_recorded) {
  triage::text_normaliser n;
  triage::normalised_text out;
  n.normalise("hit. her", out);
  ASSERT_EQ(out.tokens.size(), 2u);
  EXPECT_EQ(out.tokens[1].break_before, triage::token_break::sentence);
}

TEST(text_normaliser, invalid_utf8_bytes_separate_words) {
  triage::text_normaliser n;
  triage::normalised_text out;
  const std::string text = std::string("kill\xFF\xFEher") + "\xE2\x82" ;  // truncated sequence at the end
  n.normalise(text, out);
  ASSERT_EQ(out.tokens.size(), 2u);
  EXPECT_EQ(out.token_text(out.tokens[0]), "kill");
  EXPECT_EQ(out.token_text(out.tokens[1]), "her");
  EXPECT_EQ(out.tokens[1].src_begin, 6u);
  EXPECT_EQ(out.tokens[1].src_end, 9u);
}

TEST(text_normaliser, empty_and_punctuation_only_text_has_no_tokens) {
  triage::text_normaliser n;
  triage::normalised_text out;
  n.normalise("", out);
  EXPECT_TRUE(out.tokens.empty());
  n.normalise("?!... 😀", out);
  EXPECT_TRUE(out.tokens.empty());
}

}  // namespace
