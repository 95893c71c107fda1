#include "triage/canned_responses.hpp"

#include <set>

#include "content_file.hpp"
#include "triage/caller_type.hpp"
#include "triage/content_error.hpp"

namespace triage {
namespace {

constexpr std::size_t max_title_bytes = 80;
constexpr std::size_t max_text_bytes = 2000;  // inserted into a chat message (4000-byte limit)

}  // namespace

std::shared_ptr<const canned_responses> canned_responses::load(const std::filesystem::path& dir) {
  auto out = std::make_shared<canned_responses>();
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const auto& file = entry.path();
    if (file.extension() != ".tsv") continue;
    const std::string lang = file.stem().string();
    if (lang.size() < 2 || lang.size() > 8) throw content_error(file, 0, "file name must be <language>.tsv");
    auto& list = out->by_language_[lang];
    std::set<std::string> ids;
    for (const auto& line : content_file::read(file)) {
      const auto& f = line.fields;
      if (f.size() < 3 || f.size() > 4) {
        throw content_error(file, line.number, "expected id<TAB>title<TAB>text[<TAB>caller types]");
      }
      if (f[0].empty() || f[0].size() > 64) throw content_error(file, line.number, "id must be 1-64 characters");
      if (!ids.insert(f[0]).second) throw content_error(file, line.number, "duplicate id \"" + f[0] + "\"");
      if (f[1].empty() || f[1].size() > max_title_bytes) {
        throw content_error(file, line.number, "title must be 1-" + std::to_string(max_title_bytes) + " bytes");
      }
      if (f[2].empty() || f[2].size() > max_text_bytes) {
        throw content_error(file, line.number, "text must be 1-" + std::to_string(max_text_bytes) + " bytes");
      }
      canned_response r{f[0], f[1], f[2], {}};
      if (f.size() == 4) {
        r.caller_types = content_file::split_commas(f[3]);
        for (const auto& t : r.caller_types) {
          if (!parse_caller_type(t)) throw content_error(file, line.number, "unknown caller type \"" + t + "\"");
        }
      }
      list.push_back(std::move(r));
    }
  }
  return out;
}

const std::vector<canned_response>& canned_responses::of(const std::string& lang) const {
  static const std::vector<canned_response> none;
  auto it = by_language_.find(lang);
  return it == by_language_.end() ? none : it->second;
}

std::vector<std::string> canned_responses::languages() const {
  std::vector<std::string> out;
  for (const auto& [lang, list] : by_language_) out.push_back(lang);
  return out;
}

}  // namespace triage
