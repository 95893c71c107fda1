#include "triage/cue_catalogue.hpp"

#include <set>

#include "content_file.hpp"
#include "triage/content_error.hpp"
#include "triage/caller_type.hpp"
#include "triage/taxonomy.hpp"

namespace triage {
namespace fs = std::filesystem;

cue_catalogue cue_catalogue::load(const fs::path& cues_dir) {
  cue_catalogue out;
  if (!fs::is_directory(cues_dir)) return out;
  for (auto& dir : fs::directory_iterator(cues_dir)) {
    if (!dir.is_directory()) continue;
    const std::string lang = dir.path().filename().string();
    const fs::path labels = dir.path() / "labels.tsv";
    if (fs::exists(labels)) {
      auto& into = out.labels_[lang];
      for (auto& l : content_file::read(labels)) {
        if (l.fields.size() != 3) throw content_error(labels, l.number, "expected: cue<TAB>label<TAB>description");
        if (!is_cue(l.fields[0])) throw content_error(labels, l.number, "unknown cue id '" + l.fields[0] + "' (see docs/risk-taxonomy.md)");
        if (l.fields[1].empty()) throw content_error(labels, l.number, "empty label");
        if (!into.emplace(l.fields[0], std::pair{l.fields[1], l.fields[2]}).second)
          throw content_error(labels, l.number, "cue '" + l.fields[0] + "' listed twice");
      }
    }
    const fs::path file = dir.path() / "responses.tsv";
    if (!fs::exists(file)) continue;
    auto& cues = out.by_lang_[lang];
    std::set<std::pair<std::string, std::string>> seen;
    for (auto& l : content_file::read(file)) {
      if (l.fields.size() != 2 && l.fields.size() != 3) {
        throw content_error(file, l.number, "expected: cue<TAB>response[<TAB>caller types]");
      }
      if (!is_cue(l.fields[0])) throw content_error(file, l.number, "unknown cue id '" + l.fields[0] + "'");
      if (l.fields[1].empty()) throw content_error(file, l.number, "empty response");
      if (!seen.emplace(l.fields[0], l.fields[1]).second) throw content_error(file, l.number, "duplicate response");
      const auto& text = l.fields[1];
      if (const auto q = text.find("{quote}"); q != std::string::npos && text.find("{quote}", q + 1) != std::string::npos) {
        throw content_error(file, l.number, "{quote} at most once (it stands for the visitor's own words)");
      }
      cue_response r{text, {}};
      if (l.fields.size() == 3) r.caller_types = content_file::split_commas(l.fields[2]);
      for (const auto& type : r.caller_types) {
        if (!parse_caller_type(type)) {
          throw content_error(file, l.number, "unknown caller type '" + type +
                                                  "' (own_behaviour, professional, friend_family, experiencing_abuse)");
        }
      }
      cues[l.fields[0]].push_back(std::move(r));
    }
  }
  return out;
}

bool cue_catalogue::has(std::string_view cue, std::string_view lang) const {
  auto l = by_lang_.find(lang);
  return l != by_lang_.end() && l->second.find(cue) != l->second.end();
}

std::pair<std::string, std::string> cue_catalogue::label(std::string_view cue, std::string_view lang) const {
  for (std::string_view candidate : {lang, std::string_view("en")}) {
    auto l = labels_.find(candidate);
    if (l == labels_.end()) continue;
    auto c = l->second.find(cue);
    if (c != l->second.end()) return c->second;
  }
  return {};
}

std::vector<cue_response> cue_catalogue::responses(std::string_view cue, std::string_view lang) const {
  for (std::string_view candidate : {lang, std::string_view("en")}) {
    auto l = by_lang_.find(candidate);
    if (l == by_lang_.end()) continue;
    auto c = l->second.find(cue);
    if (c != l->second.end()) return c->second;
  }
  return {};
}

}  // namespace triage
