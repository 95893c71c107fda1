#include "triage/learned_classifier.hpp"

#include "triage/content_error.hpp"

namespace triage {

std::unique_ptr<learned_classifier> learned_classifier::load(const std::filesystem::path& model_file) {
  throw content_error(model_file, 0, "learned models are not supported by this build");
}

}  // namespace triage
