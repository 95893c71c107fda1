#pragma once
// The learned layer of screening (docs/screening.md, "The learned layer"): a fastText classifier trained at build
// time from the labelled development corpus (triage/tools/train_screening_model) that can add a
// category the content rules did not find ("similar to known disclosures of ..."). It never removes
// or lowers what the rules found.
//
// A model is two files side by side:
//   screening.bin             fastText model (.ftz when quantised), labels "__label__<category
//                             id>" and "__label__none" (benign)
//   screening.thresholds.tsv  category<TAB>threshold: the probability from which the model adds
//                             the category (chosen by cross-validation); a category not listed is
//                             never added
#include <filesystem>
#include <memory>
#include <string_view>

#include "triage/screening_result.hpp"

namespace triage {

class learned_classifier {
 public:
  // Loads the model and its thresholds file (thresholds_file(model_file)). Throws content_error
  // naming the file (and line) when either is missing or malformed, when the model is not a
  // one-vs-all fastText classifier over taxonomy categories, or when a threshold names a category
  // the model does not know.
  static std::unique_ptr<learned_classifier> load(const std::filesystem::path& model_file);
  // "models/screening.bin" -> "models/screening.thresholds.tsv".
  static std::filesystem::path thresholds_file(const std::filesystem::path& model_file);

  virtual ~learned_classifier() = default;
  // Appends a flag (source model, score = probability, start 0, end text.size(), no match words,
  // rule "model:<file name> p=0.87") for every category at or above its threshold that `result`
  // does not already have, most probable first. Never removes or changes a flag. `text` is the
  // message as the visitor sent it; the model serves every language. Thread-safe.
  virtual void judge(std::string_view text, std::string_view lang, screening_result& result) const = 0;
};

}  // namespace triage
