#pragma once
// Canned responses advisors insert and edit: content/canned/<lang>.tsv, one per line:
// id<TAB>title<TAB>text[<TAB>caller types, comma separated; empty = all]. Validated on load
// (unique ids, known caller types, bounded lengths) with errors naming file and line.
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace triage {

struct canned_response {
  std::string id;
  std::string title;
  std::string text;
  std::vector<std::string> caller_types;  // empty: every caller type
};

class canned_responses {
 public:
  // Reads every <lang>.tsv in `dir`; a missing folder means no canned responses.
  static std::shared_ptr<const canned_responses> load(const std::filesystem::path& dir);

  // The responses of `lang`; empty when the language has none.
  const std::vector<canned_response>& of(const std::string& lang) const;
  std::vector<std::string> languages() const;

 private:
  std::map<std::string, std::vector<canned_response>> by_language_;
};

}  // namespace triage
