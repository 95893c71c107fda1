#include "app/helpline_content.hpp"

#include <algorithm>
#include <vector>

namespace helpline {

helpline_content helpline_content::load(const std::filesystem::path& dir, const std::filesystem::path& model) {
  helpline_content c;
  c.engine = triage::screening_engine::load(dir, triage::screening_options{model});
  c.scripts = triage::script_catalogue::load(dir);
  c.directory = triage::programme_directory::load(dir / "programmes" / "directory.json");
  // Every table under postcodes/ (the shipped outcodes, and an imported ONS directory if present).
  std::vector<std::filesystem::path> tables;
  for (const auto& e : std::filesystem::directory_iterator(dir / "postcodes")) {
    if (e.path().extension() == ".csv") tables.push_back(e.path());
  }
  std::sort(tables.begin(), tables.end());
  c.postcodes = std::make_shared<const triage::postcode_index>(triage::postcode_index::load(tables));
  c.canned = triage::canned_responses::load(dir / "canned");
  return c;
}

}  // namespace helpline
