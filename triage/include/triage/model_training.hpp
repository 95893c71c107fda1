#pragma once
// Trains the learned layer of screening (learned_classifier, docs/screening.md, "The learned layer") from labelled
// corpora (corpus_evaluation.hpp's JSON Lines): a fastText one-vs-all classifier over the taxonomy
// categories ("none" for benign messages), and per category the probability from which it may
// add that category, chosen by k-fold cross-validation against the content rules so that what the
// model adds to the rules on held-out messages is precise and raises almost no false alarm.
// Used by triage/tools/train_screening_model (run by the build) and by the tests.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace triage {

struct model_training_options {
  std::vector<std::filesystem::path> corpus;  // .jsonl files, or folders of them
  std::filesystem::path content_dir;          // the rules the model adds to; empty: none
  std::filesystem::path model_file;           // written (.bin, or .ftz quantised), with
                                              // thresholds_file(model_file) beside it
  std::filesystem::path held_out_file;        // optional: every held-out probability, for analysis

  // Thresholds.
  int folds = 5;                     // k-fold cross-validation; < 2: every label gets fixed_threshold
  double fixed_threshold = 0.5;
  double min_precision = 0.9;        // of the model's additions on held-out messages, per category
  std::size_t min_added = 3;         // fewer correct held-out additions than this: category off
  double min_threshold = 0.2;        // never add a category the model rates below this
  double max_benign_added = 0.005;   // benign messages the model may newly flag, over all categories

  // fastText (defaults in triage/src/fasttext_model.hpp's fasttext_params when unset).
  std::optional<int> dim, epoch, minn, maxn, word_ngrams, bucket, seed;
  std::optional<double> lr;
  bool quantize = false;
};

// Cross-validated figures for one category: held-out messages, rules alone and rules + model.
struct category_training_figures {
  std::string category;
  std::optional<double> threshold;   // empty: the model never adds it
  std::size_t expected = 0;          // held-out messages labelled with it
  std::size_t rules_found = 0;       // of which the rules found
  std::size_t model_added_right = 0; // of which only the model found (at the threshold)
  std::size_t model_added_wrong = 0; // messages not labelled with it that the model added it to
};

struct model_training_report {
  std::size_t messages = 0, benign = 0, folds = 0;
  std::size_t benign_flagged_rules = 0;       // benign messages with any flag, rules alone
  std::size_t benign_flagged_with_model = 0;  // ... rules + model (held-out predictions)
  std::size_t risk_messages = 0;
  std::size_t under_triaged_rules = 0, under_triaged_with_model = 0;
  std::vector<category_training_figures> categories;  // taxonomy order
  double seconds = 0;                                 // whole training, cross-validation included
  double cpu_seconds = 0;                             // the same in processor time
  std::uintmax_t model_bytes = 0;
  std::string settings;                               // fastText settings, one line

  // The figures as a table; every line starts with prefix (the thresholds file uses "# ").
  void print(std::ostream& out, const std::string& prefix = {}) const;
};

// Reads the corpus, cross-validates, trains the final model on everything and writes the model and
// its thresholds file (both replaced only when complete). Throws content_error for a bad corpus
// line or content file, std::runtime_error when training fails or a file cannot be written.
model_training_report train_screening_model(const model_training_options& options);

}  // namespace triage
