#include "triage/screening_engine.hpp"

#include <algorithm>
#include <map>

#include "content_file.hpp"
#include "triage/content_error.hpp"
#include "triage/cue_catalogue.hpp"
#include "triage/level_rules.hpp"
#include "triage/phrase_pack.hpp"
#include "triage/taxonomy.hpp"

namespace triage {
namespace fs = std::filesystem;

namespace {
constexpr std::string_view default_language = "en";

struct labels {
  std::string label;
  std::string description;
};
}  // namespace

struct screening_engine::impl {
  std::map<std::string, std::unique_ptr<phrase_pack>, std::less<>> packs;
  level_rules rules;
  cue_catalogue cues;
  std::map<std::string, std::map<std::string, labels, std::less<>>, std::less<>> category_labels;  // lang -> id

  const phrase_pack& pack_for(std::string_view lang) const {
    auto it = packs.find(lang);
    if (it == packs.end()) {
      // "es-ES", "pl_PL", "EN" -> the base language in lower case.
      std::string base;
      for (char c : lang) {
        if (c == '-' || c == '_') break;
        base.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
      }
      it = packs.find(base);
      if (it == packs.end()) it = packs.find(default_language);
    }
    return *it->second;
  }

  void load_labels(const fs::path& file, const std::string& lang) {
    auto& out = category_labels[lang];
    for (auto& l : content_file::read(file)) {
      if (l.fields.size() != 3) throw content_error(file, l.number, "expected: category<TAB>label<TAB>description");
      if (!category_severity(l.fields[0])) throw content_error(file, l.number, "unknown category id '" + l.fields[0] + "'");
      if (l.fields[1].empty()) throw content_error(file, l.number, "empty label");
      if (!out.emplace(l.fields[0], labels{l.fields[1], l.fields[2]}).second)
        throw content_error(file, l.number, "category '" + l.fields[0] + "' listed twice");
    }
  }
};

screening_engine::screening_engine() : impl_(std::make_unique<impl>()) {}
screening_engine::~screening_engine() = default;

std::shared_ptr<const screening_engine> screening_engine::load(const fs::path& content_dir) {
  std::shared_ptr<screening_engine> engine(new screening_engine());
  auto& im = *engine->impl_;
  const fs::path risk_dir = content_dir / "risk";
  if (!fs::is_directory(risk_dir)) throw content_error(risk_dir, 0, "risk content folder missing");
  for (auto& dir : fs::directory_iterator(risk_dir)) {
    if (!dir.is_directory()) continue;
    const std::string lang = dir.path().filename().string();
    im.packs.emplace(lang, phrase_pack::load(dir.path(), content_dir / "cues" / lang / "cues.tsv", lang));
    if (fs::exists(dir.path() / "categories.tsv")) im.load_labels(dir.path() / "categories.tsv", lang);
  }
  auto en = im.packs.find(default_language);
  if (en == im.packs.end()) throw content_error(risk_dir / "en", 0, "the default language 'en' is missing");
  // English is the fallback for every language, so it must be complete.
  for (const auto& c : taxonomy_categories) {
    if (en->second->risk_patterns_for(c.id) == 0)
      throw content_error(risk_dir / "en", 0, "no phrase for category '" + std::string(c.id) + "'");
    if (!im.category_labels["en"].count(std::string(c.id)))
      throw content_error(risk_dir / "en" / "categories.tsv", 0, "no label for category '" + std::string(c.id) + "'");
  }
  im.rules = level_rules::load(content_dir / "rules");
  im.cues = cue_catalogue::load(content_dir / "cues");
  for (auto cue : taxonomy_cues) {
    if (!im.cues.has(cue, "en"))
      throw content_error(content_dir / "cues" / "en" / "responses.tsv", 0, "no response for cue '" + std::string(cue) + "'");
  }
  return engine;
}

screening_result screening_engine::screen(std::string_view utf8_text, std::string_view lang) const {
  // Working memory reused per thread: screening allocates only for what it returns.
  thread_local pack_scratch scratch;
  const phrase_pack& pack = impl_->pack_for(lang);
  scratch.found.clear();
  pack.find(utf8_text, scratch);

  screening_result result;
  if (scratch.found.empty()) return result;
  const auto& tokens = scratch.text.tokens;
  // Longest match first at each position, so a shorter match of the same category inside it is dropped.
  std::sort(scratch.found.begin(), scratch.found.end(), [](const pack_match& a, const pack_match& b) {
    if (a.first_token != b.first_token) return a.first_token < b.first_token;
    if (a.end_token != b.end_token) return a.end_token > b.end_token;
    return a.pattern < b.pattern;
  });
  struct kept {
    const std::string* label;
    std::uint32_t first, end;
  };
  std::vector<kept> kept_spans;
  std::set<std::string> categories;
  for (const auto& m : scratch.found) {
    const std::string& label = pack.pattern_label(m.pattern);
    const bool overlaps = std::any_of(kept_spans.begin(), kept_spans.end(), [&](const kept& k) {
      return *k.label == label && m.first_token < k.end && k.first < m.end_token;
    });
    if (overlaps) continue;
    kept_spans.push_back({&label, m.first_token, m.end_token});
    const std::size_t start = tokens[m.first_token].src_begin;
    const std::size_t end = tokens[m.end_token - 1].src_end;
    std::string evidence(utf8_text.substr(start, end - start));
    if (m.kind == pattern_kind::risk) {
      categories.insert(label);
      result.flags.push_back(risk_flag{label, start, end, std::move(evidence), pack.pattern_rule(m.pattern)});
    } else {
      result.cues.push_back(cue_match{label, start, end, std::move(evidence)});
    }
  }
  result.level = impl_->rules.level_for(categories);
  return result;
}

risk_level screening_engine::level_for(const std::set<std::string>& categories) const {
  return impl_->rules.level_for(categories);
}

std::vector<std::string> screening_engine::languages() const {
  std::vector<std::string> out;
  for (auto& [lang, pack] : impl_->packs) out.push_back(lang);
  return out;
}

bool screening_engine::has_language(std::string_view lang) const { return impl_->packs.count(lang) > 0; }

std::vector<cue_response> screening_engine::cue_responses(std::string_view cue, std::string_view lang) const {
  return impl_->cues.responses(cue, lang);
}

std::optional<category_info> screening_engine::category(std::string_view id, std::string_view lang) const {
  const auto severity = category_severity(id);
  if (!severity) return std::nullopt;
  category_info info;
  info.id = std::string(id);
  info.severity = *severity;
  for (std::string_view candidate : {lang, default_language}) {
    auto l = impl_->category_labels.find(candidate);
    if (l == impl_->category_labels.end()) continue;
    auto c = l->second.find(id);
    if (c == l->second.end()) continue;
    info.label = c->second.label;
    info.description = c->second.description;
    break;
  }
  return info;
}

}  // namespace triage
