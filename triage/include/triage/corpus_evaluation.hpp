#pragma once
// Measures screening against labelled messages (tests/triage/corpus/*/*.jsonl): recall per
// category and level, false alarms on benign messages and under-triage, per part and language.
// Used by `helpline screen --eval` and by the corpus tests.
//
// A labelled line: {"id":"...","lang":"en","caller":"own_behaviour","text":"...",
//   "categories":["weapon"],"cues":[],"family":"weapon/improvised"}
// or, for a conversation, "messages":["...","..."] instead of "text" (labels for the whole).
#include <cstddef>
#include <filesystem>
#include <iosfwd>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "triage/risk_level.hpp"
#include "triage/screening_engine.hpp"

namespace triage {

struct labelled_message {
  std::string id, lang, caller, family;
  std::vector<std::string> messages;  // one for a single message
  std::set<std::string> categories, cues;
  std::string part;                   // the file's name without extension ("dev-en-risk")
};

// Reads a JSON Lines corpus. Throws content_error naming file:line for a malformed line, an
// unknown category or cue id, or a duplicate id.
std::vector<labelled_message> read_labelled_corpus(const std::filesystem::path& file);

struct recall_count {
  std::size_t found = 0, expected = 0;
  double rate() const { return expected == 0 ? 1.0 : static_cast<double>(found) / static_cast<double>(expected); }
};

struct evaluation_figures {
  std::size_t messages = 0, benign = 0;
  recall_count imminent_level;       // messages whose expected level is imminent, screened imminent
  recall_count high_categories;      // (message, category) pairs of high or imminent severity
  recall_count all_categories;       // every expected (message, category) pair
  std::size_t benign_flagged = 0;    // benign messages with any flag
  std::size_t risk_messages = 0;     // messages with an expected level above none
  std::size_t under_triaged = 0;     // screened level below the expected one
  std::size_t over_triaged = 0;      // screened level above the expected one
  std::map<std::string, recall_count> per_category;
  std::map<std::string, std::size_t> extra_per_category;  // flagged but not expected
  double false_alarm_rate() const { return benign == 0 ? 0.0 : static_cast<double>(benign_flagged) / static_cast<double>(benign); }
  double under_triage_rate() const {
    return risk_messages == 0 ? 0.0 : static_cast<double>(under_triaged) / static_cast<double>(risk_messages);
  }
};

struct screened_message {
  const labelled_message* message = nullptr;
  std::set<std::string> found;               // categories found (across the conversation)
  std::set<std::string> found_by_model;      // of which only the model found
  risk_level expected_level = risk_level::none;
  risk_level level = risk_level::none;
};

struct corpus_evaluation {
  evaluation_figures overall;
  std::map<std::string, evaluation_figures> per_language;
  std::map<std::string, evaluation_figures> per_part;
  std::map<std::string, evaluation_figures> per_family;  // benign families: false alarms per family
  std::vector<screened_message> screened;
};

// Screens every message (conversations message by message, with context) and counts.
// use_model=false screens with content rules only (to measure what the learned layer adds).
corpus_evaluation evaluate_corpus(const screening_engine& engine, const std::vector<labelled_message>& corpus,
                                  bool use_model = true);

// A plain-text report: the figures overall, per language and per part; with misses=true every
// missed or extra category and every under-triaged message, with its text.
void print_evaluation(std::ostream& out, const corpus_evaluation& e, bool misses);

// `helpline screen --eval`: reads every path (a .jsonl file, or a folder: its *.jsonl files,
// sorted), evaluates and prints. Returns 0, or throws content_error for a bad corpus line.
int run_evaluation(const screening_engine& engine, const std::vector<std::filesystem::path>& paths,
                   std::ostream& out, bool misses, bool use_model);

}  // namespace triage
