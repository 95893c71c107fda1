#pragma once
// Maps a chat token to lemma keys, so that a lexicon entry written once as a lemma ("strangle",
// "estrangular", "dusić") matches its inflected forms ("strangling", "estrangulé", "dusiłem").
// Tokens come from text_normaliser (case-folded, accents and Polish diacritics removed: "dusilem"),
// and the keys are normalised the same way: a lexicon entry matches a token when
// lemmas(normalised entry) and lemmas(token) share a key.
//
// Backends (the spec):
//   "none"                  the token itself (no lemmatisation)
//   "snowball:<algorithm>"  a Snowball stemmer from libstemmer ("english", "spanish"...); its keys
//                           are stems ("strangl"), not words
//   "hunspell:<dictionary>" Hunspell's stem() on <dictionary_dir>/<dictionary>.{aff,dic}, loaded
//                           from a folded copy so that unaccented chat text is analysed
//                           (see triage/src/folded_dictionary.hpp); its keys are dictionary words
// docs/screening.md ("Lemmatiser choice (measured)") says which one each language uses and why.
//
// lemmas() runs behind a bounded per-thread cache (triage/src/lemma_cache.hpp): a repeated word
// costs a hash lookup and no allocation; only a new word reaches the analyser.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

struct Hunhandle;   // hunspell.h
struct sb_stemmer;  // libstemmer.h

namespace triage {

class lemmatiser {
 public:
  // Throws content_error for an unknown spec, an unknown Snowball algorithm or a dictionary that
  // is missing from `dictionary_dir` or cannot be read.
  static std::unique_ptr<lemmatiser> create(
      std::string_view spec, const std::filesystem::path& dictionary_dir = "/usr/share/hunspell");
  ~lemmatiser();
  lemmatiser(const lemmatiser&) = delete;
  lemmatiser& operator=(const lemmatiser&) = delete;

  // Appends the lemma keys of a normalised token to `out` (usually one; several when a form is
  // ambiguous, as Polish "pije" or Spanish "fue"; the token itself for a word the analyser does
  // not know). Thread-safe; allocation-free on a cache hit apart from lemma keys over 15 bytes.
  void lemmas(std::string_view token, std::vector<std::string>& out) const;

  // The same without the cache: every call runs the analyser (for measurements and tests).
  void analyse(std::string_view token, std::vector<std::string>& out) const;

  const std::string& spec() const { return spec_; }

 private:
  enum class backend : std::uint8_t { none, snowball, hunspell };
  struct hunspell_deleter {
    void operator()(Hunhandle* h) const noexcept;
  };
  struct stemmer_deleter {
    void operator()(sb_stemmer* s) const noexcept;
  };
  using hunspell_handle = std::unique_ptr<Hunhandle, hunspell_deleter>;
  using stemmer_handle = std::unique_ptr<sb_stemmer, stemmer_deleter>;
  struct thread_state;  // this thread's cache and Snowball stemmer (lemmatiser.cpp)

  lemmatiser(backend kind, std::string spec);
  thread_state& this_thread_state() const;
  void analyse(thread_state& state, std::string_view token, std::vector<std::string>& out) const;
  void stem_snowball(thread_state& state, std::string_view token, std::vector<std::string>& out) const;
  void stem_hunspell(std::string_view token, std::vector<std::string>& out) const;

  backend kind_;
  std::string spec_;
  std::string algorithm_;  // Snowball algorithm name
  // A Hunspell object is not thread-safe (its affix manager keeps the word being checked in
  // members), and one per thread would cost tens of MB each: cache misses take turns.
  hunspell_handle hunspell_;
  mutable std::mutex hunspell_mutex_;
  // Tells this lemmatiser's per-thread state apart from that of one destroyed before at the
  // same address (content reloads create new lemmatisers).
  std::uint64_t id_;
};

}  // namespace triage
