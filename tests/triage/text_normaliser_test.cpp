#include "triage/text_normaliser.hpp"

#include <gtest/gtest.h>

#include <cstdint>
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

// The original text of a token.
std::string source(const std::string& text, const triage::text_token& t) {
  return text.substr(t.src_begin, t.src_end - t.src_begin);
}

// Invariants of every output: tokens in order, each followed by one space, every normalised byte
// mapped to an original offset inside its token's span.
void expect_consistent(const std::string& text, const triage::normalised_text& out) {
  ASSERT_EQ(out.text.size(), out.src_offset.size()) << text;
  std::uint32_t prev_end = 0;
  for (const auto& t : out.tokens) {
    EXPECT_LE(prev_end, t.src_begin) << text;
    EXPECT_LT(t.src_begin, t.src_end) << text;
    EXPECT_LE(t.src_end, text.size()) << text;
    ASSERT_LT(t.norm_end, out.text.size()) << text;
    EXPECT_EQ(out.text[t.norm_end], ' ') << text;
    EXPECT_EQ(out.original_offset(t.norm_end), t.src_end) << text;
    for (auto p = t.norm_begin; p < t.norm_end; ++p) {
      EXPECT_GE(out.original_offset(p), t.src_begin) << text;
      EXPECT_LT(out.original_offset(p), t.src_end) << text;
    }
    prev_end = t.src_end;
  }
}

TEST(text_normaliser, invisible_characters_do_not_split_words) {
  triage::text_normaliser n;
  for (const char* hidden : {"\u200B", "\u200C", "\u200D", "\u00AD", "\u2060", "\uFEFF", "\uFE0F",
                             "\U000E0041", "\u200B\u200B\u00AD"}) {
    const std::string text = std::string("I str") + hidden + "angled her";
    EXPECT_EQ(words(n, text), (std::vector<std::string>{"i", "strangled", "her"})) << text;
    triage::normalised_text out;
    n.normalise(text, out);
    ASSERT_EQ(out.tokens.size(), 3u);
    EXPECT_EQ(source(text, out.tokens[1]), std::string("str") + hidden + "angled");
    // The "a" after the invisible character maps to the "a", not to the invisible character.
    const auto a = out.tokens[1].norm_begin + 3;
    EXPECT_EQ(text.substr(out.original_offset(a), 1), "a");
    expect_consistent(text, out);
  }
  // Between words and at the ends they are dropped; they never make a word of their own.
  EXPECT_EQ(words(n, "\uFEFFhit\u200B her\u200D"), (std::vector<std::string>{"hit", "her"}));
  EXPECT_TRUE(words(n, "\u200B\u00AD\u2060").empty());
}

TEST(text_normaliser, compatibility_forms_fold_like_nfkc) {
  triage::text_normaliser n;
  const std::vector<std::string> strangled{"strangled"};
  EXPECT_EQ(words(n, "ｓｔｒａｎｇｌｅｄ"), strangled);    // full-width
  EXPECT_EQ(words(n, "ＳＴＲＡＮＧＬＥＤ"), strangled);
  EXPECT_EQ(words(n, "𝐬𝐭𝐫𝐚𝐧𝐠𝐥𝐞𝐝"), strangled);          // mathematical bold
  EXPECT_EQ(words(n, "𝓼𝓽𝓻𝓪𝓷𝓰𝓵𝓮𝓭"), strangled);          // mathematical script
  EXPECT_EQ(words(n, "𝕊𝕋ℝ𝔸ℕ𝔾𝕃𝔼𝔻"), strangled);          // double-struck, some in letterlike symbols
  EXPECT_EQ(words(n, "ⓢⓣⓡⓐⓝⓖⓛⓔⓓ"), strangled);          // circled
  EXPECT_EQ(words(n, "⒮⒯⒭⒜⒩⒢⒧⒠⒟"), strangled);          // parenthesised
  EXPECT_EQ(words(n, "ﬁght ﬂat"), (std::vector<std::string>{"fight", "flat"}));  // ligatures
  EXPECT_EQ(words(n, "１２３ ｈｅｒ"), (std::vector<std::string>{"123", "her"}));
  EXPECT_EQ(words(n, "ｓｔｒａｎｇｌéｄ"), strangled);     // then accents go as before
  // Full-width punctuation is punctuation: "ｈｉｔ．ｈｅｒ" is two words in two sentences.
  triage::normalised_text out;
  n.normalise("ｈｉｔ．ｈｅｒ", out);
  ASSERT_EQ(out.tokens.size(), 2u);
  EXPECT_EQ(out.tokens[1].break_before, triage::token_break::sentence);
  // Symbols that NFKC spells with several letters stay symbols.
  EXPECT_EQ(words(n, "brand™ name"), (std::vector<std::string>{"brand", "name"}));
  // Spans and offsets stay on the original (3- and 4-byte) characters.
  const std::string text = "I ｓｔｒａｎｇｌｅｄ her";
  n.normalise(text, out);
  ASSERT_EQ(out.tokens.size(), 3u);
  EXPECT_EQ(out.token_text(out.tokens[1]), "strangled");
  EXPECT_EQ(source(text, out.tokens[1]), "ｓｔｒａｎｇｌｅｄ");
  EXPECT_EQ(text.substr(out.original_offset(out.tokens[1].norm_begin + 1), 3), "ｔ");
  expect_consistent(text, out);
  const std::string math = "𝐤𝐢𝐥𝐥";
  n.normalise(math, out);
  ASSERT_EQ(out.tokens.size(), 1u);
  EXPECT_EQ(out.original_offset(out.tokens[0].norm_begin + 2), 8u);
  expect_consistent(math, out);
}

TEST(text_normaliser, latin_look_alikes_in_a_latin_word_become_latin) {
  triage::text_normaliser n;
  // Cyrillic а (U+0430), і (U+0456), о (U+043E); Greek ο (U+03BF), ν (U+03BD); Armenian օ (U+0585).
  EXPECT_EQ(words(n, "I str\u0430ngled her"), (std::vector<std::string>{"i", "strangled", "her"}));
  EXPECT_EQ(words(n, "k\u0456ll"), (std::vector<std::string>{"kill"}));
  EXPECT_EQ(words(n, "ch\u03BFked ch\u043Eked ch\u0585ked"),
            (std::vector<std::string>{"choked", "choked", "choked"}));
  EXPECT_EQ(words(n, "\u03BDiolent"), (std::vector<std::string>{"violent"}));
  // Upper-case look-alikes: Cyrillic С Н О К Е with a Latin D.
  EXPECT_EQ(words(n, "\u0421\u041D\u041E\u041A\u0415D"), (std::vector<std::string>{"choked"}));
  // Several in one word, mixed with compatibility forms.
  EXPECT_EQ(words(n, "\u0455tr\u0430ngl\u0435ｄ"), (std::vector<std::string>{"strangled"}));
  // Words without a Latin letter are real words of their language and stay as they are.
  EXPECT_EQ(words(n, "Я задушил её"), (std::vector<std::string>{"я", "задушил", "ее"}));
  EXPECT_EQ(words(n, "\u0430\u0441\u0435"), (std::vector<std::string>{"\u0430\u0441\u0435"}));  // "асе"
  EXPECT_EQ(words(n, "Στραγγάλισα"), (std::vector<std::string>{"στραγγαλισα"}));
  EXPECT_EQ(words(n, "خنقتها"), (std::vector<std::string>{"خنقتها"}));
  // Accented Latin letters are Latin.
  EXPECT_EQ(words(n, "pobiłem ją udusiłem"), (std::vector<std::string>{"pobilem", "ja", "udusilem"}));
  EXPECT_EQ(words(n, "estrangulé"), (std::vector<std::string>{"estrangule"}));
  triage::text_normaliser es("ñ");
  EXPECT_EQ(words(es, "AÑO ñ\u0430"), (std::vector<std::string>{"año", "ña"}));
  // Offsets: the replaced letter maps to the Cyrillic letter, later letters to themselves.
  const std::string text = "I str\u0430ngled her";
  triage::normalised_text out;
  n.normalise(text, out);
  ASSERT_EQ(out.tokens.size(), 3u);
  EXPECT_EQ(source(text, out.tokens[1]), "str\u0430ngled");
  const auto b = out.tokens[1].norm_begin;
  EXPECT_EQ(text.substr(out.original_offset(b + 3), 2), "\u0430");
  EXPECT_EQ(text.substr(out.original_offset(b + 4), 1), "n");
  EXPECT_EQ(out.token_text(out.tokens[2]), "her");
  EXPECT_EQ(source(text, out.tokens[2]), "her");
  expect_consistent(text, out);
}

TEST(text_normaliser, code_points_above_the_table_go_through_icu_per_normaliser) {
  // Lisu ꓮ (U+A4EE) looks like "A"; mathematical Greek 𝛂 (U+1D6C2) is Greek "α".
  triage::text_normaliser n;
  EXPECT_EQ(words(n, "\uA4EEttack"), (std::vector<std::string>{"attack"}));
  EXPECT_EQ(words(n, "\U0001D6C2ttack"), (std::vector<std::string>{"attack"}));
  EXPECT_EQ(words(n, "\U0001D6C2\U0001D6C3"), (std::vector<std::string>{"αβ"}));
  // Results are cached per thread, but each normaliser keeps its own: "が" keeps its mark only
  // where it is listed.
  triage::text_normaliser keep("が");
  for (int k = 0; k < 3; ++k) {
    EXPECT_EQ(words(n, "がが"), (std::vector<std::string>{"かか"}));
    EXPECT_EQ(words(keep, "がが"), (std::vector<std::string>{"がが"}));
  }
}

TEST(text_normaliser, spaced_out_letters_are_joined) {
  triage::text_normaliser n;
  const std::vector<std::string> strangled{"strangled"};
  for (const char* text : {"s t r a n g l e d", "s  t  r  a  n  g  l  e  d", "s.t.r.a.n.g.l.e.d",
                           "s-t-r-a-n-g-l-e-d", "s_t_r_a_n_g_l_e_d", "s*t*r*a*n*g*l*e*d", "s·t·r·a·n·g·l·e·d",
                           "S T R A N G L E D", "ｓ ｔ ｒ ａ ｎ ｇ ｌ ｅ ｄ", "s t r \u0430 n g l e d",
                           "s t\u200B r a n g l e d"}) {
    EXPECT_EQ(words(n, text), strangled) << text;
  }
  EXPECT_EQ(words(n, "k-i-l-l her"), (std::vector<std::string>{"kill", "her"}));
  EXPECT_EQ(words(n, "k i l l"), (std::vector<std::string>{"kill"}));
  // The token's span covers the whole run; each letter maps to itself.
  const std::string text = "I will k-i-l-l her.";
  triage::normalised_text out;
  n.normalise(text, out);
  ASSERT_EQ(out.tokens.size(), 4u);
  EXPECT_EQ(out.token_text(out.tokens[2]), "kill");
  EXPECT_TRUE(out.tokens[2].joined);
  EXPECT_FALSE(out.tokens[1].joined);
  EXPECT_EQ(source(text, out.tokens[2]), "k-i-l-l");
  EXPECT_EQ(out.original_offset(out.tokens[2].norm_begin + 1), text.find("i-l"));
  EXPECT_EQ(out.token_text(out.tokens[3]), "her");
  EXPECT_EQ(source(text, out.tokens[3]), "her");
  expect_consistent(text, out);
  // A full stop ending dotted letters does not end the sentence.
  n.normalise("k.i.l.l.e.d. her", out);
  ASSERT_EQ(out.tokens.size(), 2u);
  EXPECT_EQ(out.token_text(out.tokens[0]), "killed");
  EXPECT_EQ(out.tokens[1].break_before, triage::token_break::clause);
  EXPECT_EQ(words(n, "U.S.A."), (std::vector<std::string>{"usa"}));
  // A letter before a run with another separator stays a word; a run keeps its last letter.
  EXPECT_EQ(words(n, "I s.t.r.a.n.g.l.e.d her"), (std::vector<std::string>{"i", "strangled", "her"}));
  EXPECT_EQ(words(n, "a k-i-l-l"), (std::vector<std::string>{"a", "kill"}));
  EXPECT_EQ(words(n, "k-i-l-l s t o p"), (std::vector<std::string>{"kill", "stop"}));
}

TEST(text_normaliser, ordinary_single_letters_are_not_joined) {
  triage::text_normaliser n;
  EXPECT_EQ(words(n, "i am a man"), (std::vector<std::string>{"i", "am", "a", "man"}));
  EXPECT_EQ(words(n, "a b"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(words(n, "plan b, a or c"), (std::vector<std::string>{"plan", "b", "a", "or", "c"}));
  EXPECT_EQ(words(n, "1 2 3 go"), (std::vector<std::string>{"1", "2", "3", "go"}));
  // Initials with full stops and spaces are sentence punctuation, not spaced-out letters.
  triage::normalised_text out;
  n.normalise("I. A. M. here", out);
  ASSERT_EQ(out.tokens.size(), 4u);
  for (std::size_t k = 1; k < 4; ++k) EXPECT_EQ(out.tokens[k].break_before, triage::token_break::sentence);
  EXPECT_EQ(out.token_text(out.tokens[1]), "a");
  // One separator character between letters, the same one all along the run.
  EXPECT_EQ(words(n, "k - i - l - l"), (std::vector<std::string>{"k", "i", "l", "l"}));
  EXPECT_EQ(words(n, "k--i--l--l"), (std::vector<std::string>{"k", "i", "l", "l"}));
  EXPECT_EQ(words(n, "k-i l-l"), (std::vector<std::string>{"k", "i", "l", "l"}));
  EXPECT_EQ(words(n, "k, i, l, l"), (std::vector<std::string>{"k", "i", "l", "l"}));
  EXPECT_EQ(words(n, "k\ni\nl\nl"), (std::vector<std::string>{"k", "i", "l", "l"}));
  // Words around a run stay words.
  EXPECT_EQ(words(n, "he said k i l l her"), (std::vector<std::string>{"he", "said", "kill", "her"}));
}

TEST(text_normaliser, a_joined_token_splits_after_its_first_letter) {
  triage::text_normaliser n;
  const std::string text = "i s t r a n g l e d her";
  triage::normalised_text out;
  n.normalise(text, out);
  ASSERT_EQ(out.tokens.size(), 2u);
  EXPECT_EQ(out.token_text(out.tokens[0]), "istrangled");
  EXPECT_EQ(out.first_letter_size(out.tokens[0]), 1u);
  EXPECT_FALSE(out.split_joined_token(1, text));  // "her" is not joined
  ASSERT_TRUE(out.split_joined_token(0, text));
  ASSERT_EQ(out.tokens.size(), 3u);
  EXPECT_EQ(out.token_text(out.tokens[0]), "i");
  EXPECT_EQ(source(text, out.tokens[0]), "i");
  EXPECT_EQ(out.token_text(out.tokens[1]), "strangled");
  EXPECT_EQ(source(text, out.tokens[1]), "s t r a n g l e d");
  EXPECT_EQ(out.tokens[1].break_before, triage::token_break::none);
  EXPECT_EQ(out.token_text(out.tokens[2]), "her");
  expect_consistent(text, out);
}

TEST(text_normaliser, mixed_tricks_keep_offsets_consistent) {
  triage::text_normaliser n;
  const std::vector<std::string> pieces{"s", "k", "I", "ab", " ", "  ", ".", ". ", "-", "_", "*", "\u00B7",
                                        "\u200B", "\u00AD", "\u0430", "\u0456", "\u0437", "ｓ", "𝐬", "⒜",
                                        "'", "\n", ",", "é", "e\xCC\x81", "\xFF", "\xE2\x82", "1", "ﬁ"};
  triage::normalised_text out;
  std::uint32_t seed = 12345;
  for (int round = 0; round < 3000; ++round) {
    std::string text;
    const int len = 1 + round % 24;
    for (int k = 0; k < len; ++k) {
      seed = seed * 1103515245u + 12345u;
      text += pieces[(seed >> 16) % pieces.size()];
    }
    n.normalise(text, out);
    expect_consistent(text, out);
    for (std::size_t t = 0; t < out.tokens.size(); ++t) {
      if (out.tokens[t].joined && out.split_joined_token(t, text)) {
        expect_consistent(text, out);
        break;
      }
    }
  }
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
