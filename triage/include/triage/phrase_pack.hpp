#pragma once
// One language's screening content, compiled: risk phrases/patterns per category, cue patterns,
// idioms, negation cues, spelling variants and words never spelling-corrected. Loaded from
// content/risk/<lang>/ (and content/cues/<lang>/cues.tsv); docs/screening.md describes the formats.
//
// Matching works on normalised tokens (text_normaliser). Every word of every pattern becomes a
// "term" (a literal word or a stem ending in '*') stored in a byte trie; each token of a message
// is resolved to its terms with one trie walk (and, when it matches nothing, one bounded
// edit-distance-1 walk for misspellings). Patterns are sequences of slots (alternative terms) with
// optional bounded gaps, indexed by the terms of their first slot.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "triage/text_normaliser.hpp"

namespace triage {

enum class pattern_kind : std::uint8_t { risk, cue, idiom, negation, pseudo_negation, scope_break };

struct pack_match {
  pattern_kind kind = pattern_kind::risk;
  std::uint32_t pattern = 0;      // index for phrase_pack::pattern_label / pattern_rule
  std::uint32_t first_token = 0;  // token range [first_token, end_token)
  std::uint32_t end_token = 0;
};

// Per-thread working memory for phrase_pack::find; reuse it so the hot path does not allocate.
// Each buffer grows to the largest message screened on its thread (linear in the message size,
// which the server caps) and is never shrunk.
struct pack_scratch {
  normalised_text text;
  std::vector<std::uint32_t> term_pool;                           // terms of all tokens
  std::vector<std::pair<std::uint32_t, std::uint32_t>> token_terms;  // [begin, end) in term_pool
  std::vector<std::uint8_t> token_state;                         // bit flags per token
  std::vector<std::uint64_t> term_present;                       // bitset: terms in this message
  std::vector<pack_match> found;
  std::vector<pack_match> category_idioms;  // idioms that apply to one category only
  std::string word_buffer;
};

class phrase_pack {
 public:
  // lang_dir: content/risk/<lang>; cue_file: content/cues/<lang>/cues.tsv (may not exist).
  // content_root is used to print paths relative to it in rule ids and errors.
  // Throws content_error naming file:line.
  static std::unique_ptr<phrase_pack> load(const std::filesystem::path& lang_dir,
                                           const std::filesystem::path& cue_file,
                                           const std::string& lang);

  // Normalises `text` into scratch.text and appends to scratch.found the surviving risk and cue
  // matches (negated or idiom-covered risk matches removed). Thread-safe. A token joined from
  // spaced-out letters that matches nothing, but does without its first letter, is split there
  // ("I s t r a n g l e d" -> "i", "strangled").
  void find(std::string_view text, pack_scratch& scratch) const;

  const std::string& lang() const { return lang_; }
  const std::string& pattern_label(std::uint32_t pattern) const;  // category or cue id
  const std::string& pattern_rule(std::uint32_t pattern) const;   // "en/strangulation.tsv:14 choke* @person"
  std::size_t pattern_count() const;
  // Number of risk patterns per category id, for coverage checks.
  std::size_t risk_patterns_for(std::string_view category) const;
  const text_normaliser& normaliser() const { return *normaliser_; }

  ~phrase_pack();
  phrase_pack(const phrase_pack&) = delete;
  phrase_pack& operator=(const phrase_pack&) = delete;

  struct impl;

 private:
  phrase_pack();
  std::string lang_;
  std::unique_ptr<text_normaliser> normaliser_;
  std::unique_ptr<impl> impl_;
};

}  // namespace triage
