#pragma once
// Screens chat messages for the risk categories and advisor cues of docs/risk-taxonomy.md, from
// content a helpline edits without rebuilding (docs/screening.md):
//   content/risk/<lang>/*.tsv          phrases per category, idioms, negation cues
//   content/risk/<lang>/concepts/*.tsv concept lexicons (lemmas and phrases)
//   content/risk/<lang>/contexts.tsv   context markers (media, hypothetical, childhood...)
//   content/frames/                    concepts, contexts and the frames that combine them
//   content/cues/<lang>/               cue patterns and suggested advisor responses
//   content/rules/*.tsv                level combination rules
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "triage/risk_level.hpp"
#include "triage/screening_result.hpp"

namespace triage {

struct screening_options {
  // A learned model (docs/screening.md, "The learned layer"); empty: content rules only.
  std::filesystem::path model_file;
};

class screening_engine {
 public:
  // Loads every language pack, rules and cues under content_dir (content/). Throws content_error
  // naming file:line.
  static std::shared_ptr<const screening_engine> load(const std::filesystem::path& content_dir,
                                                      const screening_options& options = {});
  // For content editors: every phrase, concept, context marker and cue that matched in `text`, one
  // line each ("concept weapon_object 'knife' en/concepts/weapons.tsv:3 ..."), then the result.
  std::vector<std::string> explain(std::string_view utf8_text, std::string_view lang,
                                   const screening_context& before = {}) const;
  // Whether a learned model is loaded.
  bool has_model() const;

  // Thread-safe. Unknown lang -> the default language "en" ("es-ES" uses "es").
  screening_result screen(std::string_view utf8_text, std::string_view lang) const;
  // The same, for a message in a conversation: frames can be completed by what the visitor's
  // recent messages carried (`before`), and result.context is what this message leaves for the
  // next one.
  screening_result screen_in_conversation(std::string_view utf8_text, std::string_view lang,
                                          const screening_context& before) const;
  // Level of a set of categories by the rules (taxonomy severities + content/rules).
  risk_level level_for(const std::set<std::string>& categories) const;
  std::vector<std::string> languages() const;
  bool has_language(std::string_view lang) const;
  std::vector<cue_response> cue_responses(std::string_view cue, std::string_view lang) const;
  std::optional<category_info> category(std::string_view id, std::string_view lang) const;
  // A cue's label and description for advisors in lang (English fallback); nullopt for unknown ids.
  std::optional<category_info> cue(std::string_view id, std::string_view lang) const;
  // The advisor-facing description of a concept id ("a weapon, or an object used as one").
  std::string concept_description(std::string_view concept_id) const;

  ~screening_engine();
  screening_engine(const screening_engine&) = delete;
  screening_engine& operator=(const screening_engine&) = delete;

  struct impl;

 private:
  screening_engine();
  std::unique_ptr<impl> impl_;
};

}  // namespace triage
