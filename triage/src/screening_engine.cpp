#include "triage/screening_engine.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <map>
#include <set>

#include "content_file.hpp"
#include "triage/content_error.hpp"
#include "triage/cue_catalogue.hpp"
#include "triage/frame_set.hpp"
#include "triage/learned_classifier.hpp"
#include "triage/level_rules.hpp"
#include "triage/phrase_pack.hpp"
#include "triage/taxonomy.hpp"

namespace triage {
namespace fs = std::filesystem;

namespace {
constexpr std::string_view default_language = "en";
constexpr std::size_t max_carried_items = 64;  // oldest dropped first
constexpr int max_frame_rounds = 4;            // frames completing frames: bounded

struct labels {
  std::string label;
  std::string description;
};

constexpr std::uint16_t no_symbol = 0xFFFF;
constexpr std::int8_t no_context = -1;

// A compiled language pack with what the engine derives from it at load.
struct language {
  std::unique_ptr<phrase_pack> pack;
  std::vector<std::uint16_t> symbol;   // per pattern: frame symbol of a risk or concept pattern
  std::vector<std::int8_t> context;    // per pattern: context mode index of a context pattern
};

// Per-thread working memory (screening allocates only for what it returns).
struct engine_scratch {
  pack_scratch pack;
  std::vector<std::uint32_t> clause_of, sentence_of;
  std::vector<std::uint8_t> context_bits;
  std::vector<frame_item> items;
  std::vector<bool> fired;
  std::vector<frame_firing> firings;
};

}  // namespace

std::string_view to_string(flag_source s) noexcept {
  switch (s) {
    case flag_source::phrase: return "phrase";
    case flag_source::frame: return "frame";
    case flag_source::model: return "model";
  }
  return "phrase";
}

std::string screening_context::serialise() const {
  std::string out;
  for (const auto& it : items) {
    if (!out.empty()) out.push_back(';');
    out += it.label;
    for (auto v : {it.message_back, it.start, it.end}) {
      out.push_back(',');
      out += std::to_string(v);
    }
  }
  return out;
}

screening_context screening_context::parse(std::string_view text) {
  screening_context ctx;
  while (!text.empty()) {
    const auto semi = text.find(';');
    std::string_view entry = text.substr(0, semi);
    text = semi == std::string_view::npos ? std::string_view{} : text.substr(semi + 1);
    std::array<std::string_view, 4> parts{};
    std::size_t n = 0;
    while (n < 4) {
      const auto comma = entry.find(',');
      parts[n++] = entry.substr(0, comma);
      if (comma == std::string_view::npos) {
        entry = {};
        break;
      }
      entry = entry.substr(comma + 1);
    }
    if (n != 4 || !entry.empty() || parts[0].empty() || parts[0].size() > 48) continue;
    carried_item it;
    it.label = std::string(parts[0]);
    bool ok = true;
    std::uint32_t* fields[3] = {&it.message_back, &it.start, &it.end};
    for (std::size_t k = 0; k < 3 && ok; ++k) {
      const auto p = parts[k + 1];
      ok = std::from_chars(p.data(), p.data() + p.size(), *fields[k]).ptr == p.data() + p.size() && !p.empty();
    }
    if (ok && it.start <= it.end && it.message_back > 0) ctx.items.push_back(std::move(it));
    if (ctx.items.size() >= max_carried_items) break;
  }
  return ctx;
}

struct screening_engine::impl {
  std::map<std::string, language, std::less<>> languages;
  frame_set frames;
  level_rules rules;
  cue_catalogue cues;
  std::map<std::string, std::map<std::string, labels, std::less<>>, std::less<>> category_labels;  // lang -> id
  std::uint8_t set_aside_mask = 0;  // set aside unless restored
  std::uint8_t firm_mask = 0;       // set aside whatever else is said
  std::uint8_t restore_mask = 0;
  std::unique_ptr<learned_classifier> model;

  const language& language_for(std::string_view lang) const {
    auto it = languages.find(lang);
    if (it == languages.end()) {
      // "es-ES", "pl_PL", "EN" -> the base language in lower case.
      std::string base;
      for (char c : lang) {
        if (c == '-' || c == '_') break;
        base.push_back(static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c));
      }
      it = languages.find(base);
      if (it == languages.end()) it = languages.find(default_language);
    }
    return it->second;
  }

  const std::string& label_of(std::string_view category, const std::string& lang) const {
    for (std::string_view candidate : {std::string_view(lang), default_language}) {
      auto l = category_labels.find(candidate);
      if (l == category_labels.end()) continue;
      auto c = l->second.find(category);
      if (c != l->second.end()) return c->second.label;
    }
    static const std::string none;
    return none;
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

  screening_result screen(std::string_view text, std::string_view lang, const screening_context* before,
                          std::vector<std::string>* explain = nullptr) const;
};

screening_engine::screening_engine() : impl_(std::make_unique<impl>()) {}
screening_engine::~screening_engine() = default;

std::shared_ptr<const screening_engine> screening_engine::load(const fs::path& content_dir,
                                                               const screening_options& options) {
  std::shared_ptr<screening_engine> engine(new screening_engine());
  auto& im = *engine->impl_;
  if (!options.model_file.empty()) im.model = learned_classifier::load(options.model_file);
  im.frames = frame_set::load(content_dir / "frames");
  for (std::size_t m = 0; m < im.frames.contexts().size(); ++m) {
    const auto bit = static_cast<std::uint8_t>(1u << m);
    switch (im.frames.contexts()[m].effect) {
      case context_effect::set_aside: im.set_aside_mask |= bit; break;
      case context_effect::set_aside_firm: im.firm_mask |= bit; break;
      case context_effect::restore: im.restore_mask |= bit; break;
    }
  }
  const pack_vocabulary vocabulary{im.frames.concepts(), im.frames.context_ids()};

  const fs::path risk_dir = content_dir / "risk";
  if (!fs::is_directory(risk_dir)) throw content_error(risk_dir, 0, "risk content folder missing");
  for (auto& dir : fs::directory_iterator(risk_dir)) {
    if (!dir.is_directory()) continue;
    const std::string lang = dir.path().filename().string();
    language l;
    l.pack = phrase_pack::load(dir.path(), content_dir / "cues" / lang / "cues.tsv", lang, vocabulary);
    const auto count = l.pack->pattern_count();
    l.symbol.assign(count, no_symbol);
    l.context.assign(count, no_context);
    const auto contexts = im.frames.context_ids();
    for (std::uint32_t p = 0; p < count; ++p) {
      const auto& label = l.pack->pattern_label(p);
      const auto sym = im.frames.symbol_of(label);
      if (sym < im.frames.symbol_count()) l.symbol[p] = sym;
      for (std::size_t m = 0; m < contexts.size(); ++m) {
        if (contexts[m] == label) l.context[p] = static_cast<std::int8_t>(m);
      }
    }
    im.languages.emplace(lang, std::move(l));
    if (fs::exists(dir.path() / "categories.tsv")) im.load_labels(dir.path() / "categories.tsv", lang);
  }
  auto en = im.languages.find(default_language);
  if (en == im.languages.end()) throw content_error(risk_dir / "en", 0, "the default language 'en' is missing");
  // English is the fallback for every language, so it must be complete.
  for (const auto& c : taxonomy_categories) {
    if (en->second.pack->risk_patterns_for(c.id) == 0 &&
        std::none_of(im.frames.frames().begin(), im.frames.frames().end(),
                     [&](const frame_set::frame& f) { return f.category == c.id; }))
      throw content_error(risk_dir / "en", 0, "no phrase or frame for category '" + std::string(c.id) + "'");
    if (!im.category_labels["en"].count(std::string(c.id)))
      throw content_error(risk_dir / "en" / "categories.tsv", 0, "no label for category '" + std::string(c.id) + "'");
  }
  im.rules = level_rules::load(content_dir / "rules");
  im.cues = cue_catalogue::load(content_dir / "cues");
  for (auto cue : taxonomy_cues) {
    if (!im.cues.has(cue, "en"))
      throw content_error(content_dir / "cues" / "en" / "responses.tsv", 0, "no response for cue '" + std::string(cue) + "'");
    if (im.cues.label(cue, "en").first.empty())
      throw content_error(content_dir / "cues" / "en" / "labels.tsv", 0, "no label for cue '" + std::string(cue) + "'");
  }
  return engine;
}

screening_result screening_engine::impl::screen(std::string_view utf8_text, std::string_view lang,
                                                const screening_context* before,
                                                std::vector<std::string>* explain) const {
  thread_local engine_scratch scratch;
  auto& s = scratch.pack;
  const language& language = language_for(lang);
  const phrase_pack& pack = *language.pack;
  s.found.clear();
  pack.find(utf8_text, s);

  screening_result result;
  const auto& tokens = s.text.tokens;
  const auto n = static_cast<std::uint32_t>(tokens.size());
  if (s.found.empty() && (before == nullptr || before->items.empty()) && !model) return result;

  // Clauses and sentences, for frame scopes and context markers.
  auto& clause_of = scratch.clause_of;
  auto& sentence_of = scratch.sentence_of;
  clause_of.resize(n);
  sentence_of.resize(n);
  std::uint32_t clause = 0, sentence = 0;
  for (std::uint32_t t = 0; t < n; ++t) {
    if (t > 0 && tokens[t].break_before == token_break::sentence) ++sentence;
    if (t > 0 && tokens[t].break_before != token_break::none) ++clause;
    clause_of[t] = clause;
    sentence_of[t] = sentence;
  }
  // Context markers: each marks its clause, sentence or the message.
  auto& ctx = scratch.context_bits;
  ctx.assign(n, 0);
  for (const auto& m : s.found) {
    if (m.kind != pattern_kind::context) continue;
    const auto mode = language.context[m.pattern];
    if (mode == no_context) continue;
    const auto& cm = frames.contexts()[static_cast<std::size_t>(mode)];
    const auto bit = static_cast<std::uint8_t>(1u << mode);
    for (std::uint32_t t = 0; t < n; ++t) {
      const bool inside = cm.scope == frame_scope::message ||
                          (cm.scope == frame_scope::sentence && sentence_of[t] == sentence_of[m.first_token]) ||
                          (cm.scope == frame_scope::clause && clause_of[t] == clause_of[m.first_token]);
      if (inside) ctx[t] |= bit;
    }
  }
  auto set_aside = [&](std::uint32_t first, std::uint32_t end) {
    for (auto t = first; t < end; ++t) {
      if ((ctx[t] & firm_mask) || ((ctx[t] & set_aside_mask) && !(ctx[t] & restore_mask))) return true;
    }
    return false;
  };
  if (explain) {
    static constexpr std::array<std::string_view, 8> kinds{"phrase", "cue", "idiom", "negation", "pseudo_negation",
                                                           "scope_break", "concept", "context"};
    for (const auto& m : s.found) {
      const auto b = tokens[m.first_token].src_begin, e = tokens[m.end_token - 1].src_end;
      std::string line(kinds[static_cast<std::size_t>(m.kind)]);
      line += " " + pack.pattern_label(m.pattern) + " '" + std::string(utf8_text.substr(b, e - b)) + "' " +
              pack.pattern_rule(m.pattern);
      if ((m.kind == pattern_kind::risk || m.kind == pattern_kind::lexicon) && set_aside(m.first_token, m.end_token))
        line += "  [set aside by context]";
      explain->push_back(std::move(line));
    }
  }

  // Longest match first at each position, so a shorter phrase of the same category inside it is dropped.
  std::sort(s.found.begin(), s.found.end(), [](const pack_match& a, const pack_match& b) {
    if (a.first_token != b.first_token) return a.first_token < b.first_token;
    if (a.end_token != b.end_token) return a.end_token > b.end_token;
    return a.pattern < b.pattern;
  });
  auto& items = scratch.items;
  items.clear();
  auto item_for = [&](std::uint16_t symbol, std::uint32_t first, std::uint32_t end) {
    frame_item it;
    it.symbol = symbol;
    it.first_token = first;
    it.end_token = end;
    it.clause = clause_of[first];
    it.sentence = sentence_of[first];
    it.start = tokens[first].src_begin;
    it.end = tokens[end - 1].src_end;
    return it;
  };
  struct kept {
    const std::string* label;
    std::uint32_t first, end;
  };
  std::vector<kept> kept_spans;
  for (const auto& m : s.found) {
    if (m.kind == pattern_kind::context) continue;
    if ((m.kind == pattern_kind::risk || m.kind == pattern_kind::lexicon) && set_aside(m.first_token, m.end_token)) continue;
    const std::string& label = pack.pattern_label(m.pattern);
    if (m.kind == pattern_kind::lexicon) {
      items.push_back(item_for(language.symbol[m.pattern], m.first_token, m.end_token));
      continue;
    }
    const bool overlaps = std::any_of(kept_spans.begin(), kept_spans.end(), [&](const kept& k) {
      return *k.label == label && m.first_token < k.end && k.first < m.end_token;
    });
    if (overlaps) continue;
    kept_spans.push_back({&label, m.first_token, m.end_token});
    const std::size_t start = tokens[m.first_token].src_begin;
    const std::size_t end = tokens[m.end_token - 1].src_end;
    std::string evidence(utf8_text.substr(start, end - start));
    if (m.kind == pattern_kind::risk) {
      items.push_back(item_for(language.symbol[m.pattern], m.first_token, m.end_token));
      risk_flag f;
      f.category = label;
      f.start = start;
      f.end = end;
      f.match = evidence;
      f.rule = pack.pattern_rule(m.pattern);
      f.reason = pack.pattern_reason(m.pattern);
      if (f.reason.empty()) f.reason = label_of(label, pack.lang());
      f.source = flag_source::phrase;
      f.evidence.push_back({label, 0, start, end, std::move(evidence)});
      result.flags.push_back(std::move(f));
    } else if (m.kind == pattern_kind::cue) {
      result.cues.push_back(cue_match{label, start, end, std::move(evidence)});
    }
  }
  const std::size_t current_items = items.size();

  // Earlier messages' concepts and categories, for conversation frames.
  if (before) {
    for (const auto& c : before->items) {
      if (c.message_back == 0 || c.message_back > frames.conversation_window()) continue;
      const auto sym = frames.symbol_of(c.label);
      if (sym >= frames.symbol_count()) continue;  // content changed since: ignore
      frame_item it;
      it.symbol = sym;
      it.message_back = c.message_back;
      it.start = c.start;
      it.end = c.end;
      it.clause = it.sentence = UINT32_MAX;
      items.push_back(it);
    }
  }

  // Frames, until none fires (a frame's category can complete another frame).
  auto& fired = scratch.fired;
  fired.assign(frames.frames().size(), false);
  // A frame across messages that already raised its category recently does not raise it again on
  // every later message (the category is in what the earlier messages carried).
  for (std::size_t i = current_items; i < items.size(); ++i) {
    if (!frames.is_category(items[i].symbol)) continue;
    for (std::size_t fi = 0; fi < frames.frames().size(); ++fi) {
      const auto& f = frames.frames()[fi];
      if (f.scope == frame_scope::conversation && frames.symbol_of(f.category) == items[i].symbol) fired[fi] = true;
    }
  }
  for (int round = 0; round < max_frame_rounds; ++round) {
    auto& firings = scratch.firings;
    firings.clear();
    frames.evaluate(items, fired, firings, round == 0);
    if (firings.empty()) break;
    for (const auto& fr : firings) {
      fired[fr.frame] = true;
      const auto& frame = frames.frames()[fr.frame];
      const bool already = std::any_of(result.flags.begin(), result.flags.end(),
                                       [&](const risk_flag& f) { return f.category == frame.category; });
      risk_flag f;
      f.category = frame.category;
      f.rule = frame.rule;
      f.reason = frame.reason;
      f.source = flag_source::frame;
      std::uint32_t first = UINT32_MAX, end = 0;
      for (auto idx : fr.items) {
        const auto& it = items[idx];
        evidence_span e;
        e.label = frames.symbol_label(it.symbol);
        e.message_back = it.message_back;
        e.start = it.start;
        e.end = it.end;
        if (it.message_back == 0) {
          e.match = std::string(utf8_text.substr(it.start, it.end - it.start));
          first = std::min(first, it.first_token);
          end = std::max(end, it.end_token);
        }
        f.evidence.push_back(std::move(e));
      }
      if (first == UINT32_MAX) continue;  // never: a firing uses the current message
      f.start = tokens[first].src_begin;
      f.end = tokens[end - 1].src_end;
      f.match = std::string(utf8_text.substr(f.start, f.end - f.start));
      std::sort(f.evidence.begin(), f.evidence.end(), [](const evidence_span& a, const evidence_span& b) {
        return a.message_back != b.message_back ? a.message_back > b.message_back : a.start < b.start;
      });
      const auto category_symbol = frames.symbol_of(frame.category);
      items.push_back(item_for(category_symbol, first, end));
      if (!already) result.flags.push_back(std::move(f));
    }
  }

  // The learned layer may add categories the rules did not find; never removes any.
  if (model) {
    const std::size_t rule_flags = result.flags.size();
    model->judge(utf8_text, pack.lang(), result);
    // The model names a category by its id; advisors read its label (English, as the sentence).
    for (std::size_t i = rule_flags; i < result.flags.size(); ++i) {
      auto& f = result.flags[i];
      std::string label = label_of(f.category, std::string(default_language));
      if (label.empty()) continue;
      if (label.size() > 1 && label[0] >= 'A' && label[0] <= 'Z' && !(label[1] >= 'A' && label[1] <= 'Z'))
        label[0] = static_cast<char>(label[0] - 'A' + 'a');  // "Strangulation or choking" -> "strangulation ..."
      f.reason = "similar to known disclosures of " + label;
    }
  }

  std::set<std::string> categories;
  for (const auto& f : result.flags) categories.insert(f.category);
  result.level = rules.level_for(categories);

  if (before) {
    // What this message leaves for the next ones: its own findings (newest first), then what
    // earlier messages carried, one message older, within the window.
    auto& out = result.context.items;
    for (std::size_t i = 0; i < items.size() && out.size() < max_carried_items; ++i) {
      const auto& it = items[i];
      if (it.message_back != 0) continue;
      if (i >= current_items && !frames.is_category(it.symbol)) continue;
      out.push_back({frames.symbol_label(it.symbol), 1, it.start, it.end});
    }
    for (const auto& c : before->items) {
      if (out.size() >= max_carried_items) break;
      if (c.message_back + 1 > frames.conversation_window()) continue;
      if (frames.symbol_of(c.label) >= frames.symbol_count()) continue;
      out.push_back({c.label, c.message_back + 1, c.start, c.end});
    }
  }
  return result;
}

std::vector<std::string> screening_engine::explain(std::string_view utf8_text, std::string_view lang,
                                                   const screening_context& before) const {
  std::vector<std::string> lines;
  const auto r = impl_->screen(utf8_text, lang, &before, &lines);
  for (const auto& f : r.flags) {
    std::string line = "flag " + f.category + " (" + std::string(to_string(f.source)) + ") " + f.reason + "  <- " + f.rule;
    for (const auto& e : f.evidence) {
      line += "\n    " + e.label + (e.message_back ? " [" + std::to_string(e.message_back) + " message(s) back]" : "") +
              " '" + e.match + "'";
    }
    lines.push_back(std::move(line));
  }
  for (const auto& c : r.cues) lines.push_back("cue " + c.cue + " '" + c.match + "'");
  lines.push_back("level " + std::string(to_string(r.level)));
  return lines;
}

screening_result screening_engine::screen(std::string_view utf8_text, std::string_view lang) const {
  return impl_->screen(utf8_text, lang, nullptr);
}

screening_result screening_engine::screen_in_conversation(std::string_view utf8_text, std::string_view lang,
                                                          const screening_context& before) const {
  return impl_->screen(utf8_text, lang, &before);
}

bool screening_engine::has_model() const { return impl_->model != nullptr; }

risk_level screening_engine::level_for(const std::set<std::string>& categories) const {
  return impl_->rules.level_for(categories);
}

std::vector<std::string> screening_engine::languages() const {
  std::vector<std::string> out;
  for (auto& [lang, l] : impl_->languages) out.push_back(lang);
  return out;
}

bool screening_engine::has_language(std::string_view lang) const { return impl_->languages.count(lang) > 0; }

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

std::optional<category_info> screening_engine::cue(std::string_view id, std::string_view lang) const {
  if (!is_cue(id)) return std::nullopt;
  auto [label, description] = impl_->cues.label(id, lang);
  return category_info{std::string(id), risk_level::none, std::move(label), std::move(description)};
}

std::string screening_engine::concept_description(std::string_view concept_id) const {
  return impl_->frames.concept_description(concept_id);
}

}  // namespace triage
