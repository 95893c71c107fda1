#include "triage/frame_set.hpp"

#include <algorithm>
#include <map>
#include <sstream>

#include "content_file.hpp"
#include "triage/content_error.hpp"
#include "triage/taxonomy.hpp"

namespace triage {
namespace fs = std::filesystem;

namespace {

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 48) return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return id.front() >= 'a' && id.front() <= 'z';
}

std::vector<fs::path> frame_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (auto& e : fs::directory_iterator(dir)) {
    const auto name = e.path().filename().string();
    if (!e.is_regular_file() || e.path().extension() != ".tsv") continue;
    if (name == "concepts.tsv" || name == "contexts.tsv" || name == "settings.tsv") continue;
    files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::uint16_t frame_set::symbol_of(std::string_view label) const {
  for (std::size_t i = 0; i < symbols_.size(); ++i) {
    if (symbols_[i] == label) return static_cast<std::uint16_t>(i);
  }
  return static_cast<std::uint16_t>(symbols_.size());
}

const std::string& frame_set::concept_description(std::string_view concept_id) const {
  static const std::string none;
  for (std::size_t i = 0; i < concepts_.size(); ++i) {
    if (concepts_[i] == concept_id) return concept_descriptions_[i];
  }
  return none;
}

std::vector<std::string> frame_set::context_ids() const {
  std::vector<std::string> out;
  for (const auto& c : contexts_) out.push_back(c.id);
  return out;
}

frame_set frame_set::load(const fs::path& dir) {
  frame_set out;
  if (!fs::is_directory(dir)) throw content_error(dir, 0, "frames folder missing");
  for (const auto& c : taxonomy_categories) out.symbols_.emplace_back(c.id);
  out.category_count_ = out.symbols_.size();

  const fs::path concepts = dir / "concepts.tsv";
  if (!fs::exists(concepts)) throw content_error(concepts, 0, "missing: the list of concept ids");
  for (auto& l : content_file::read(concepts)) {
    if (l.fields.size() != 2) throw content_error(concepts, l.number, "expected: concept<TAB>description");
    const auto& id = l.fields[0];
    if (!valid_id(id)) throw content_error(concepts, l.number, "concept id '" + id + "' must be lower_snake_case");
    if (category_severity(id) || is_cue(id))
      throw content_error(concepts, l.number, "'" + id + "' is a category or cue id; concepts need their own names");
    if (std::find(out.concepts_.begin(), out.concepts_.end(), id) != out.concepts_.end())
      throw content_error(concepts, l.number, "concept '" + id + "' listed twice");
    if (l.fields[1].empty()) throw content_error(concepts, l.number, "empty description");
    out.concepts_.push_back(id);
    out.concept_descriptions_.push_back(l.fields[1]);
    out.symbols_.push_back(id);
  }
  if (out.symbols_.size() > 0xFFFF) throw content_error(concepts, 0, "too many concepts");

  const fs::path contexts = dir / "contexts.tsv";
  if (fs::exists(contexts)) {
    for (auto& l : content_file::read(contexts)) {
      if (l.fields.size() != 4)
        throw content_error(contexts, l.number, "expected: context<TAB>clause|sentence|message<TAB>set_aside|set_aside_firm|restore<TAB>description");
      context_mode m;
      m.id = l.fields[0];
      if (!valid_id(m.id)) throw content_error(contexts, l.number, "context id '" + m.id + "' must be lower_snake_case");
      for (const auto& c : out.contexts_) {
        if (c.id == m.id) throw content_error(contexts, l.number, "context '" + m.id + "' listed twice");
      }
      if (l.fields[1] == "clause") m.scope = frame_scope::clause;
      else if (l.fields[1] == "sentence") m.scope = frame_scope::sentence;
      else if (l.fields[1] == "message") m.scope = frame_scope::message;
      else throw content_error(contexts, l.number, "scope '" + l.fields[1] + "' must be clause, sentence or message");
      if (l.fields[2] == "set_aside") m.effect = context_effect::set_aside;
      else if (l.fields[2] == "set_aside_firm") m.effect = context_effect::set_aside_firm;
      else if (l.fields[2] == "restore") m.effect = context_effect::restore;
      else throw content_error(contexts, l.number, "effect '" + l.fields[2] + "' must be set_aside, set_aside_firm or restore");
      m.description = l.fields[3];
      out.contexts_.push_back(std::move(m));
    }
    if (out.contexts_.size() > 8) throw content_error(contexts, 0, "at most 8 context modes");
  }

  const fs::path settings = dir / "settings.tsv";
  if (fs::exists(settings)) {
    for (auto& l : content_file::read(settings)) {
      if (l.fields.size() != 2) throw content_error(settings, l.number, "expected: setting<TAB>value");
      long v = 0;
      if (l.fields[0] == "conversation_window") {
        if (!content_file::parse_number(l.fields[1], 1, 10, v))
          throw content_error(settings, l.number, "conversation_window must be 1 to 10 messages");
        out.conversation_window_ = static_cast<std::uint32_t>(v);
      } else {
        throw content_error(settings, l.number, "unknown setting '" + l.fields[0] + "'");
      }
    }
  }

  std::map<std::string, std::string> names;
  for (const auto& file : frame_files(dir)) {
    const std::string shown = "frames/" + file.filename().string();
    for (auto& l : content_file::read(file)) {
      if (l.fields.size() != 5)
        throw content_error(file, l.number, "expected: category<TAB>name<TAB>scope<TAB>elements<TAB>reason");
      frame f;
      f.category = l.fields[0];
      if (!category_severity(f.category))
        throw content_error(file, l.number, "unknown category id '" + f.category + "' (see docs/risk-taxonomy.md)");
      f.name = l.fields[1];
      if (!valid_id(f.name)) throw content_error(file, l.number, "frame name '" + f.name + "' must be lower_snake_case");
      auto [it, inserted] = names.emplace(f.name, shown + ":" + std::to_string(l.number));
      if (!inserted) throw content_error(file, l.number, "frame name '" + f.name + "' already used at " + it->second);
      const std::string& scope = l.fields[2];
      if (scope.rfind("near:", 0) == 0) {
        long n = 0;
        if (!content_file::parse_number(std::string_view(scope).substr(5), 2, 30, n))
          throw content_error(file, l.number, "near:N needs N from 2 to 30 words");
        f.scope = frame_scope::near;
        f.near_words = static_cast<std::uint32_t>(n);
      } else if (scope == "clause") f.scope = frame_scope::clause;
      else if (scope == "sentence") f.scope = frame_scope::sentence;
      else if (scope == "message") f.scope = frame_scope::message;
      else if (scope == "conversation") f.scope = frame_scope::conversation;
      else throw content_error(file, l.number, "scope '" + scope + "' must be near:N, clause, sentence, message or conversation");
      std::istringstream words(l.fields[3]);
      for (std::string group; words >> group;) {
        const bool excluded = group.front() == '!';
        if (excluded) group.erase(0, 1);
        std::vector<std::uint16_t> alternatives;
        std::size_t a = 0;
        while (true) {
          const std::size_t bar = group.find('|', a);
          const std::string id = group.substr(a, bar == std::string::npos ? std::string::npos : bar - a);
          const auto sym = out.symbol_of(id);
          if (id.empty()) throw content_error(file, l.number, "empty element in '" + group + "'");
          if (sym == out.symbols_.size())
            throw content_error(file, l.number, "unknown concept or category '" + id + "' (concepts are listed in frames/concepts.tsv)");
          alternatives.push_back(sym);
          if (bar == std::string::npos) break;
          a = bar + 1;
        }
        if (excluded) f.excluded.insert(f.excluded.end(), alternatives.begin(), alternatives.end());
        else f.groups.push_back(std::move(alternatives));
      }
      if (f.groups.empty()) throw content_error(file, l.number, "a frame needs at least one element");
      if (f.groups.size() > 6) throw content_error(file, l.number, "a frame has at most 6 elements");
      if (f.groups.size() == 1 && f.groups[0].size() == 1 && f.groups[0][0] == out.symbol_of(f.category))
        throw content_error(file, l.number, "a frame cannot be its own category alone");
      if (l.fields[4].empty()) throw content_error(file, l.number, "empty reason: say in words why this flags");
      f.reason = l.fields[4];
      f.rule = shown + ":" + std::to_string(l.number) + " " + f.name;
      out.frames_.push_back(std::move(f));
    }
  }
  out.mask_words_ = (out.symbols_.size() + 63) / 64;
  for (auto& f : out.frames_) {
    f.group_masks.assign(f.groups.size() * out.mask_words_, 0);
    for (std::size_t g = 0; g < f.groups.size(); ++g) {
      for (auto sym : f.groups[g]) f.group_masks[g * out.mask_words_ + sym / 64] |= std::uint64_t{1} << (sym % 64);
    }
  }
  out.frames_by_symbol_.assign(out.symbols_.size(), {});
  out.uses_category_.assign(out.frames_.size(), false);
  for (std::uint32_t fi = 0; fi < out.frames_.size(); ++fi) {
    const auto& f = out.frames_[fi];
    std::size_t best = 0;
    for (std::size_t g = 1; g < f.groups.size(); ++g) {
      if (f.groups[g].size() < f.groups[best].size()) best = g;
    }
    for (auto sym : f.groups[best]) out.frames_by_symbol_[sym].push_back(fi);
    for (const auto& g : f.groups) {
      for (auto sym : g) {
        if (sym < out.category_count_) out.uses_category_[fi] = true;
      }
    }
  }
  for (auto& list : out.frames_by_symbol_) {
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
  return out;
}

void frame_set::evaluate(const std::vector<frame_item>& items, const std::vector<bool>& fired,
                         std::vector<frame_firing>& out, bool first_round) const {
  // Cheap pre-check: which symbols occur at all (a frame is tried only when every group can be met).
  thread_local std::vector<std::uint64_t> present;
  thread_local std::vector<std::uint32_t> chosen;
  thread_local std::vector<std::uint32_t> candidates;
  present.assign(mask_words_, 0);
  candidates.clear();
  for (const auto& it : items) {
    const std::uint64_t bit = std::uint64_t{1} << (it.symbol % 64);
    if (present[it.symbol / 64] & bit) continue;
    present[it.symbol / 64] |= bit;
    const auto& list = frames_by_symbol_[it.symbol];
    candidates.insert(candidates.end(), list.begin(), list.end());
  }
  // In frame order, each once: what fires first is reported first, as content authors expect.
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());

  for (const std::uint32_t fi : candidates) {
    if (fi < fired.size() && fired[fi]) continue;
    if (!first_round && !uses_category_[fi]) continue;
    const frame& f = frames_[fi];
    bool possible = true;
    for (std::size_t g = 0; g < f.groups.size() && possible; ++g) {
      bool any = false;
      for (std::size_t w = 0; w < mask_words_ && !any; ++w) any = (f.group_masks[g * mask_words_ + w] & present[w]) != 0;
      possible = any;
    }
    if (!possible) continue;

    auto in_group = [&](std::size_t g, std::uint16_t sym) {
      return (f.group_masks[g * mask_words_ + sym / 64] >> (sym % 64)) & 1;
    };
    // Whether item `b` is in the same unit as the anchor item `a` for this frame's scope.
    auto same_unit = [&](const frame_item& a, const frame_item& b) {
      switch (f.scope) {
        case frame_scope::near: {
          if (a.message_back || b.message_back || a.sentence != b.sentence) return false;
          const auto lo = std::min(a.first_token, b.first_token);
          const auto hi = std::max(a.end_token, b.end_token);
          return hi - lo <= f.near_words;
        }
        case frame_scope::clause: return !a.message_back && !b.message_back && a.clause == b.clause;
        case frame_scope::sentence: return !a.message_back && !b.message_back && a.sentence == b.sentence;
        case frame_scope::message: return !a.message_back && !b.message_back;
        case frame_scope::conversation: return true;
      }
      return false;
    };
    // Anchors come from the group with the fewest occurrences: every unit that can hold the frame
    // holds one of them. For message and conversation scopes the unit is the same whatever the
    // anchor, so one anchor is enough.
    std::size_t anchor_group = 0, fewest = SIZE_MAX;
    for (std::size_t g = 0; g < f.groups.size(); ++g) {
      std::size_t n = 0;
      for (const auto& it : items) n += in_group(g, it.symbol);
      if (n < fewest) {
        fewest = n;
        anchor_group = g;
      }
    }
    const bool one_unit = f.scope == frame_scope::message || f.scope == frame_scope::conversation;
    bool done = false;
    bool tried = false;
    for (std::uint32_t ai = 0; ai < items.size() && !done && !(one_unit && tried); ++ai) {
      const auto& anchor = items[ai];
      if (!in_group(anchor_group, anchor.symbol)) continue;
      tried = true;
      chosen.assign(f.groups.size(), UINT32_MAX);
      bool ok = true;
      bool uses_current = false;
      for (std::size_t gi = 0; gi < f.groups.size() && ok; ++gi) {
        // Prefer an item of the current message, nearest to the anchor.
        std::uint32_t best = UINT32_MAX;
        for (std::uint32_t ii = 0; ii < items.size(); ++ii) {
          const auto& it = items[ii];
          if (!in_group(gi, it.symbol) || !same_unit(anchor, it)) continue;
          // One item cannot stand for two groups, nor can two items sharing words ("sleeping
          // with her" is sex, not also "asleep").
          bool clash = false;
          for (auto c : chosen) {
            if (c == UINT32_MAX) continue;
            const auto& o = items[c];
            // Categories found earlier cover their evidence's span; only words can clash.
            const bool words = !is_category(o.symbol) && !is_category(it.symbol);
            clash = clash || c == ii ||
                    (words && o.message_back == 0 && it.message_back == 0 && it.first_token < o.end_token &&
                     o.first_token < it.end_token);
          }
          if (clash) continue;
          if (best == UINT32_MAX) {
            best = ii;
            continue;
          }
          const auto& b = items[best];
          if (it.message_back != b.message_back) {
            if (it.message_back < b.message_back) best = ii;
            continue;
          }
          const auto dist = [&](const frame_item& x) {
            return x.first_token > anchor.first_token ? x.first_token - anchor.first_token : anchor.first_token - x.first_token;
          };
          if (dist(it) < dist(b)) best = ii;
        }
        if (best == UINT32_MAX) ok = false;
        else {
          chosen[gi] = best;
          uses_current = uses_current || items[best].message_back == 0;
        }
      }
      if (!ok || !uses_current) continue;
      // An excluded concept counts when it shares the sentence with what was chosen and reaches
      // their words ("my dad was a copper and he still hit my mum": the parents span the act).
      std::uint32_t lo = UINT32_MAX, hi = 0, sentence = UINT32_MAX;
      for (auto c : chosen) {
        const auto& it = items[c];
        if (it.message_back != 0) continue;
        lo = std::min(lo, it.first_token);
        hi = std::max(hi, it.end_token);
        sentence = it.sentence;
      }
      for (auto ex : f.excluded) {
        for (const auto& it : items) {
          if (it.symbol != ex || it.message_back != 0) continue;
          const bool reaches = f.scope == frame_scope::message || f.scope == frame_scope::conversation ||
                               (it.sentence == sentence && it.first_token < hi + 2 && lo < it.end_token + 2);
          if (reaches) ok = false;
        }
      }
      if (!ok) continue;
      out.push_back({fi, chosen});
      done = true;
    }
  }
}

}  // namespace triage
