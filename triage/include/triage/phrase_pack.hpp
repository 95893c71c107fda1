#pragma once
// One language's screening content, compiled: risk phrases per category, concept lexicons,
// context markers, cue patterns, idioms, negation cues, spelling variants and words never
// spelling-corrected. Loaded from content/risk/<lang>/ (and content/cues/<lang>/cues.tsv);
// docs/screening.md describes the formats.
//
// Matching works on normalised tokens (text_normaliser). Every word of every pattern becomes a
// "term": a literal word, a stem ending in '*', or a lemma (any inflected form of a word, found
// through the language's lemmatiser). Literal words and stems live in one byte trie, lemma keys in
// another; each token of a message is resolved to its terms with one walk of each (and, when it
// matches nothing, one bounded edit-distance-1 walk for misspellings). Patterns are sequences of
// slots (alternative terms) with optional bounded gaps, indexed by the terms of their first slot.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "triage/text_normaliser.hpp"

namespace triage {

class lemmatiser;

enum class pattern_kind : std::uint8_t {
  risk,             // a phrase that flags a category on its own
  cue,              // an advisor cue (minimisation...)
  idiom,            // a figure of speech: risk and concept matches inside it do not count
  negation,         // a negation cue
  pseudo_negation,  // words that contain a negation but do not negate ("didn't mean")
  scope_break,      // words that end a negation's scope
  lexicon,          // a concept occurrence (a concept lexicon entry) (weapon, time_now...) that frames combine
  context,          // a context marker (media, hypothetical...) that can set a frame aside
};

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
  std::vector<std::string> lemma_keys;      // lemmas of the token being resolved
  std::string word_buffer;
};

// What a pack needs from the rest of the content to validate its files.
struct pack_vocabulary {
  std::vector<std::string> concepts;  // concept ids (content/frames/concepts.tsv)
  std::vector<std::string> contexts;  // context modes (content/frames/contexts.tsv)
};

class phrase_pack {
 public:
  // lang_dir: content/risk/<lang>; cue_file: content/cues/<lang>/cues.tsv (may not exist).
  // Throws content_error naming file:line.
  static std::unique_ptr<phrase_pack> load(const std::filesystem::path& lang_dir,
                                           const std::filesystem::path& cue_file, const std::string& lang,
                                           const pack_vocabulary& vocabulary);

  // Normalises `text` into scratch.text and appends to scratch.found the surviving risk, cue,
  // concept and context matches (negated or idiom-covered risk and concept matches removed).
  // Thread-safe. A token joined from spaced-out letters that matches nothing, but does without
  // its first letter, is split there ("I s t r a n g l e d" -> "i", "strangled").
  void find(std::string_view text, pack_scratch& scratch) const;

  const std::string& lang() const { return lang_; }
  const std::string& pattern_label(std::uint32_t pattern) const;  // category, cue, concept or context id
  const std::string& pattern_rule(std::uint32_t pattern) const;   // "en/strangulation.tsv:14 choke* @person"
  const std::string& pattern_reason(std::uint32_t pattern) const; // optional third column, "" if none
  std::size_t pattern_count() const;
  // Number of risk patterns per category id, for coverage checks.
  std::size_t risk_patterns_for(std::string_view category) const;
  // Number of patterns per concept id.
  std::size_t concept_patterns_for(std::string_view concept_id) const;
  const text_normaliser& normaliser() const { return *normaliser_; }
  // The language's lemmatiser spec as configured in language.tsv ("none" when not set).
  const std::string& lemmatiser_spec() const { return lemmatiser_spec_; }

  ~phrase_pack();
  phrase_pack(const phrase_pack&) = delete;
  phrase_pack& operator=(const phrase_pack&) = delete;

  struct impl;

 private:
  phrase_pack();
  std::string lang_;
  std::string lemmatiser_spec_ = "none";
  std::unique_ptr<text_normaliser> normaliser_;
  std::shared_ptr<const lemmatiser> lemmatiser_;  // shared by packs with the same spec
  std::unique_ptr<impl> impl_;
};

}  // namespace triage
