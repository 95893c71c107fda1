#include "triage/level_rules.hpp"

#include <algorithm>
#include <map>
#include <sstream>

#include "content_file.hpp"
#include "triage/content_error.hpp"
#include "triage/taxonomy.hpp"

namespace triage {
namespace fs = std::filesystem;

level_rules level_rules::load(const fs::path& rules_dir) {
  level_rules out;
  if (!fs::is_directory(rules_dir)) throw content_error(rules_dir, 0, "rules folder missing");
  std::vector<fs::path> files;
  for (auto& e : fs::directory_iterator(rules_dir)) {
    if (e.is_regular_file() && e.path().extension() == ".tsv") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::map<std::string, std::string> seen;
  for (auto& file : files) {
    for (auto& l : content_file::read(file)) {
      if (l.fields.size() != 3) throw content_error(file, l.number, "expected: all|count<TAB>condition<TAB>level");
      rule r;
      r.origin = "rules/" + file.filename().string() + ":" + std::to_string(l.number);
      const auto level = parse_risk_level(l.fields[2]);
      if (!level || *level == risk_level::none) throw content_error(file, l.number, "unknown level '" + l.fields[2] + "' (low, medium, high or imminent)");
      r.level = *level;
      std::istringstream words(l.fields[1]);
      std::vector<std::string> args;
      for (std::string w; words >> w;) args.push_back(w);
      if (l.fields[0] == "all") {
        r.kind = rule::kind_t::all;
        if (args.size() < 2) throw content_error(file, l.number, "'all' needs two or more category ids");
        for (auto& a : args) {
          if (!category_severity(a)) throw content_error(file, l.number, "unknown category id '" + a + "'");
        }
        std::sort(args.begin(), args.end());
        if (std::adjacent_find(args.begin(), args.end()) != args.end()) throw content_error(file, l.number, "category listed twice");
        r.categories = args;
      } else if (l.fields[0] == "count") {
        r.kind = rule::kind_t::count;
        long n = 0;
        const auto sev = args.size() == 2 ? parse_risk_level(args[0]) : std::nullopt;
        if (!sev || *sev == risk_level::none || !content_file::parse_number(args[1], 1, 17, n))
          throw content_error(file, l.number, "'count' needs a severity and a number, e.g. 'medium 3'");
        r.severity = *sev;
        r.count = static_cast<std::size_t>(n);
      } else {
        throw content_error(file, l.number, "unknown rule kind '" + l.fields[0] + "' (all or count)");
      }
      const std::string key = l.fields[0] + " " + [&] { std::string k; for (auto& a : args) k += a + " "; return k; }();
      auto [it, inserted] = seen.emplace(key, r.origin);
      if (!inserted) throw content_error(file, l.number, "duplicate rule (same as " + it->second + ")");
      out.rules_.push_back(std::move(r));
    }
  }
  return out;
}

risk_level level_rules::level_for(const std::set<std::string>& categories) const {
  risk_level level = risk_level::none;
  std::map<risk_level, std::size_t> per_severity;
  for (const auto& c : categories) {
    const auto sev = category_severity(c);
    if (!sev) continue;  // not a taxonomy id (cues never count)
    level = std::max(level, *sev);
    ++per_severity[*sev];
  }
  for (const auto& r : rules_) {
    if (r.level <= level) continue;
    bool fires = false;
    if (r.kind == rule::kind_t::all) {
      fires = std::all_of(r.categories.begin(), r.categories.end(), [&](const auto& c) { return categories.count(c) > 0; });
    } else {
      fires = per_severity[r.severity] >= r.count;
    }
    if (fires) level = r.level;
  }
  return level;
}

}  // namespace triage
