#pragma once
// The level rules of docs/risk-taxonomy.md as data (content/rules/levels.tsv): the base level
// is the highest taxonomy severity present; combination rules from the file can raise it.
//   all<TAB>pregnancy physical_violence<TAB>high   -> all the listed categories present
//   count<TAB>medium 3<TAB>high                    -> at least 3 distinct categories of that severity
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "triage/risk_level.hpp"

namespace triage {

class level_rules {
 public:
  struct rule {
    enum class kind_t { all, count } kind = kind_t::all;
    std::vector<std::string> categories;  // for all
    risk_level severity = risk_level::medium;  // for count
    std::size_t count = 0;
    risk_level level = risk_level::high;
    std::string origin;  // "rules/levels.tsv:7"
  };

  // Reads every *.tsv under rules_dir (sorted by name). Throws content_error naming file:line.
  static level_rules load(const std::filesystem::path& rules_dir);
  risk_level level_for(const std::set<std::string>& categories) const;
  const std::vector<rule>& rules() const { return rules_; }

 private:
  std::vector<rule> rules_;
};

}  // namespace triage
