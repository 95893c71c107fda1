#pragma once
// The learned layer of screening: a text classifier trained from the labelled corpus that can add
// a category the content rules did not find ("similar to known disclosures of ..."). It never
// removes or lowers what the rules found. Placeholder until the fastText layer lands.
#include <filesystem>
#include <memory>
#include <string_view>

#include "triage/screening_result.hpp"

namespace triage {

class learned_classifier {
 public:
  // Throws content_error when the file cannot be read or is not a model.
  static std::unique_ptr<learned_classifier> load(const std::filesystem::path& model_file);
  virtual ~learned_classifier() = default;
  // Appends model flags (source model) for categories above their threshold that `result` does not
  // already have. Thread-safe.
  virtual void judge(std::string_view text, std::string_view lang, screening_result& result) const = 0;
};

}  // namespace triage
