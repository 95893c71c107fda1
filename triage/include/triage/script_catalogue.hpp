#pragma once
// Every screening script of a helpline, by caller type and language, loaded from
// content_dir/scripts/*.json (one file per caller type, texts per language; see docs/content.md).
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "triage/caller_type.hpp"
#include "triage/screening_script.hpp"

namespace triage {

class script_catalogue {
 public:
  static constexpr std::string_view default_lang = "en";

  // Reads content_dir/scripts/*.json. Throws content_error naming the file (and line, and question
  // id) for: bad JSON, unknown fields, unknown caller type or category, dangling or missing next,
  // unreachable questions, cycles, missing translations, an own_behaviour script whose first
  // question is not about immediate danger, or a caller type with no script.
  static std::shared_ptr<const script_catalogue> load(const std::filesystem::path& content_dir);

  // Exact language, then its primary subtag ("pl-PL" -> "pl"), then the script's default
  // language ("en" in the shipped content).
  const screening_script& find(caller_type type, std::string_view lang) const;
  std::vector<std::string> languages() const;  // sorted, every language of any script

 private:
  struct per_type {
    std::string default_lang;
    std::map<std::string, screening_script, std::less<>> by_lang;
  };
  std::map<caller_type, per_type> scripts_;
};

}  // namespace triage
