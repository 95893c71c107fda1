#pragma once
// Everything under content/ the service needs, loaded and validated together.
#include <filesystem>
#include <memory>

#include "triage/canned_responses.hpp"
#include "triage/postcode_index.hpp"
#include "triage/programme_directory.hpp"
#include "triage/screening_engine.hpp"
#include "triage/script_catalogue.hpp"

namespace helpline {

struct helpline_content {
  std::shared_ptr<const triage::screening_engine> engine;
  std::shared_ptr<const triage::script_catalogue> scripts;
  std::shared_ptr<const triage::programme_directory> directory;
  std::shared_ptr<const triage::postcode_index> postcodes;
  std::shared_ptr<const triage::canned_responses> canned;

  // Throws content_error (a bad content file, or a model that cannot be read).
  static helpline_content load(const std::filesystem::path& content_dir,
                               const std::filesystem::path& screening_model = {});
};

}  // namespace helpline
