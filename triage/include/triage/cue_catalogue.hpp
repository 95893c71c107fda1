#pragma once
// Suggested advisor responses per cue and language, from content/cues/<lang>/responses.tsv
// (cue<TAB>response, several lines per cue allowed), and each cue's name and description for
// advisors, from content/cues/<lang>/labels.tsv (cue<TAB>label<TAB>description). English is the
// fallback.
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "triage/screening_result.hpp"

namespace triage {

class cue_catalogue {
 public:
  // Reads responses.tsv of every language folder under cues_dir. Throws content_error (file:line).
  static cue_catalogue load(const std::filesystem::path& cues_dir);
  // Responses for the cue in lang, or the English ones when lang has none; empty for unknown cues.
  std::vector<cue_response> responses(std::string_view cue, std::string_view lang) const;
  bool has(std::string_view cue, std::string_view lang) const;
  // The cue's label and description in lang, else English; empty strings when none.
  std::pair<std::string, std::string> label(std::string_view cue, std::string_view lang) const;

 private:
  std::map<std::string, std::map<std::string, std::vector<cue_response>, std::less<>>, std::less<>> by_lang_;
  std::map<std::string, std::map<std::string, std::pair<std::string, std::string>, std::less<>>, std::less<>> labels_;
};

}  // namespace triage
