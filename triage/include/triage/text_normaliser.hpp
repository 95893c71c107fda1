#pragma once
// Turns chat text into normalised word tokens for phrase matching, keeping each token's byte span
// in the ORIGINAL text. Normalisation (done with ICU once per code point, then looked up in a
// table): Unicode NFKC (compatibility forms: full-width letters, ligatures, mathematical letters,
// circled and parenthesised letters), NFD + removal of combining marks (accents), full case
// folding, and a few letters without a decomposition (Polish "ł" -> "l", "ø" -> "o", "ß" -> "ss",
// "æ" -> "ae"...). Apostrophes inside a word are dropped so "won't", "wont" and "WONT" give the
// same token "wont".
// Word segmentation: a token is a maximal run of letters, digits and combining marks (Unicode
// properties via ICU); everything else separates tokens, except default-ignorable code points
// (zero-width space and joiners, soft hyphen, word joiner, BOM, variation selectors, tags...),
// which are dropped without splitting the word. Sentence/clause punctuation is recorded on the
// following token so matching can stop at clause boundaries. Invalid UTF-8 bytes separate tokens.
// Evasion tricks undone on top of that:
// - confusables: in a token with at least one Latin letter, letters of other scripts that ICU's
//   confusable data shows as a Latin letter become that letter ("strаngled" with a Cyrillic "а");
//   tokens without a Latin letter (Russian, Greek...) are left alone;
// - spaced-out letters: 3 or more one-letter tokens separated by spaces only, or each by the same
//   one character of . - _ * · ("s t r a n g l e d", "k-i-l-l", "s.t.r.a.n.g.l.e.d"), become one
//   token (text_token::joined) whose source span covers the whole run. "I. A. M." (full stops
//   followed by spaces) is not joined.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace triage {

// Strength of the boundary in front of a token: none (space), clause (",", ":", "(" ...),
// sentence (".", "!", "?", ";", line break).
enum class token_break : std::uint8_t { none = 0, clause = 1, sentence = 2 };

struct text_token {
  std::uint32_t norm_begin = 0;  // byte range in normalised_text::text
  std::uint32_t norm_end = 0;
  std::uint32_t src_begin = 0;   // byte range in the original UTF-8 text (end exclusive)
  std::uint32_t src_end = 0;
  token_break break_before = token_break::none;
  bool joined = false;  // joined from spaced-out single letters ("s t r a n g l e d")
};

// Output of text_normaliser::normalise. Reused between calls to avoid allocations on the hot path.
struct normalised_text {
  std::string text;                      // normalised tokens, each followed by one space
  std::vector<std::uint32_t> src_offset;  // for every byte of `text`: byte offset in the original
  std::vector<text_token> tokens;

  std::string_view token_text(const text_token& t) const {
    return std::string_view(text).substr(t.norm_begin, t.norm_end - t.norm_begin);
  }
  // Original byte offset of a normalised position (text.size() maps to the original's end).
  std::uint32_t original_offset(std::size_t norm_pos) const;
  // Normalised bytes that come from the token's first original character.
  std::uint32_t first_letter_size(const text_token& t) const;
  // Splits a joined token after its first letter, when that letter is a word of its own
  // ("I s t r a n g l e d" -> "i" + "strangled"): tokens[i] becomes the letter and a new token
  // i + 1 the rest. `original` is the text that was normalised. Returns false (and changes
  // nothing) for a token that is not joined.
  bool split_joined_token(std::size_t i, std::string_view original);
  std::uint32_t original_size = 0;
  void clear();
};

class text_normaliser {
 public:
  // keep_marks: letters whose accent is meaningful in a language and must stay (for example "ñ"),
  // given as UTF-8 text; their case is still folded. Empty: remove all accents.
  explicit text_normaliser(std::string_view keep_marks = {});

  // Thread-safe (const; the only mutable state is a per-thread cache). Overwrites `out`.
  void normalise(std::string_view utf8, normalised_text& out) const;

  // Normalises a single word as written in content files; returns the tokens' texts (usually one).
  std::vector<std::string> normalise_words(std::string_view utf8) const;

 private:
  enum class char_class : std::uint8_t {
    separator, space, word, clause_punct, sentence_punct, apostrophe, ignorable
  };
  struct folded {
    char_class cls = char_class::separator;
    std::uint8_t size = 0;      // bytes of the folded form
    std::uint8_t info = 0;      // word: letter/latin/digit/confusable bits; others: run separator
    std::uint8_t alt_size = 0;  // letter of another script that looks Latin: bytes of `alt`
    char bytes[8] = {};
    char alt[4] = {};           // its Latin prototype, folded (never longer than `bytes`)
  };
  folded fold_slow(std::int32_t cp) const;  // ICU, for code points outside the table
  // The table, or ICU through a per-thread cache for code points above it (result in scratch).
  const folded& fold(std::int32_t cp, folded& scratch) const;
  // Rewrites confusable letters of tokens[i] as Latin when the token has a Latin letter.
  void apply_confusables(std::string_view utf8, normalised_text& out, std::size_t i) const;

  static constexpr std::int32_t table_size = 0x3000;  // Latin, Greek, Cyrillic, Armenian... in O(1)
  std::vector<folded> table_;
  std::vector<std::int32_t> keep_marks_;
  std::uint64_t id_ = 0;  // tells normalisers apart in the per-thread cache of fold()
};

}  // namespace triage
