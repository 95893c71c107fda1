#pragma once
// The programme directory of a helpline: content/programmes/directory.json (docs/content.md).
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "triage/programme.hpp"

namespace triage {

class programme_directory {
 public:
  static constexpr std::size_t max_programmes = 5000;

  // Throws content_error naming the file and the line of the entry for: bad JSON, unknown fields,
  // missing id/organisation/name/type/contact, duplicate ids, unknown type, level, gender,
  // relationship, format or postcode code, an entry with no area served, or a specialist entry
  // that contradicts its type. Every entry is checked: the error lists each bad entry's first
  // problem (content_error::problems(), at most 50 and a count of the rest). Entries without
  // partner support or risk management load, marked unsafe (programme::safe() is false), with a
  // warning; the matcher never suggests them.
  static std::shared_ptr<const programme_directory> load(const std::filesystem::path& file);

  const std::vector<programme>& programmes() const { return programmes_; }
  const programme* find(std::string_view id) const;
  // Human-readable warnings from load ("file:line: programme 'x' is unsafe (...)"), for the
  // caller to log or show: the library does not log.
  const std::vector<std::string>& warnings() const { return warnings_; }
  const std::string& country() const { return country_; }  // "the UK": for "online anywhere in"
  bool sample() const { return sample_; }

 private:
  std::vector<programme> programmes_;
  std::vector<std::string> warnings_;
  std::string country_;
  bool sample_ = false;
};

}  // namespace triage
