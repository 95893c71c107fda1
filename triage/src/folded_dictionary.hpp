#pragma once
// A copy of a Hunspell dictionary (.aff + .dic) rewritten for chat tokens, which text_normaliser
// has case-folded and stripped of accents ("dusiłem" arrives as "dusilem"). Hunspell only knows the
// accented spelling, so every dictionary word and every affix rule's strip, add and condition
// are folded the same way; then stem("dusilem") finds "dusic", the folded key of "dusić".
//
// The copy is UTF-8 (converted from the .aff's SET encoding with ICU) and lives in a new private
// folder (mode 0700) under the system temporary directory until this object is destroyed. Hunspell
// reads both files whole when it loads, so the lemmatiser removes them right after loading.
//
// Folding loses information, and where it does the copy errs on the side of accepting more:
//  - a condition class "[ćń]" becomes "[cn]", so the rule also applies to words ending in plain c;
//  - a negated class drops the letters that folding merges with another letter of the dictionary
//    ("[^ą]" would otherwise also exclude the words ending in plain "a" that it used to allow);
//  - entries that fold to the same word ("Bóg", "bog") become homonyms.
// So a folded form may get an extra lemma; it never loses one it had before folding.
// Entries that can never be one chat token (several words, or hyphens and dots, which
// text_normaliser treats as separators) are left out.
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "triage/text_normaliser.hpp"

namespace triage {

class folded_dictionary {
 public:
  // Bump when the folding below changes, so that folded_dictionary_cache stops reusing copies
  // made by an older build (text_normaliser's folding is checked by the cache on its own).
  static constexpr int fold_version = 1;

  // Throws content_error when a file cannot be read or its encoding is unknown to ICU, and
  // std::system_error when the copy cannot be written.
  folded_dictionary(const std::filesystem::path& aff, const std::filesystem::path& dic,
                    const text_normaliser& normaliser);
  ~folded_dictionary();  // removes the folder and both files
  folded_dictionary(const folded_dictionary&) = delete;
  folded_dictionary& operator=(const folded_dictionary&) = delete;

  const std::filesystem::path& aff() const { return aff_out_; }
  const std::filesystem::path& dic() const { return dic_out_; }
  const std::filesystem::path& folder() const { return folder_; }
  std::size_t words() const { return words_; }            // entries written to the .dic
  std::size_t dropped_words() const { return dropped_; }  // entries that cannot be a token

 private:
  // How text_normaliser folds one code point: `text` is what it becomes inside a word (empty for
  // apostrophes and combining marks, "ss" for "ß"); `in_word` is false for separators.
  struct char_fold {
    bool known = false;
    bool in_word = false;
    std::string text;
  };

  const char_fold& fold_char(char32_t cp);
  // Folds a whole word; false when it holds a separator (it could never be a single token).
  bool fold_word(std::string_view utf8, std::string& out);
  std::string fold_condition(std::string_view condition);
  void note_letters(std::string_view utf8);
  std::string fold_aff(std::string_view utf8_aff, bool add_utf8_flag);
  std::string fold_dic(std::string_view utf8_dic);

  const text_normaliser& normaliser_;
  std::vector<char_fold> fold_table_;                   // code points below 0x3000
  std::unordered_map<char32_t, char_fold> fold_other_;  // the rest, rarely used
  // Folded letter -> the different (case-folded) letters of the dictionary that fold to it.
  std::unordered_map<std::string, std::vector<char32_t>> sources_;

  std::filesystem::path folder_;
  std::filesystem::path aff_out_;
  std::filesystem::path dic_out_;
  std::size_t words_ = 0;
  std::size_t dropped_ = 0;
};

}  // namespace triage
