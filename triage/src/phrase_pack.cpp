#include "triage/phrase_pack.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <unordered_map>

#include "content_file.hpp"
#include "triage/content_error.hpp"
#include "triage/taxonomy.hpp"

namespace triage {
namespace fs = std::filesystem;

namespace {

// Bits of pack_scratch::token_state.
constexpr std::uint8_t state_idiom = 1;       // token is inside an idiom ("killing me")
constexpr std::uint8_t state_neg_start = 2;   // token starts a (valid) negation cue
constexpr std::uint8_t state_negated = 4;     // token is in a negation cue's scope
constexpr std::uint8_t state_scope_break = 8; // token ends negation scope ("but", "because", "i")
constexpr std::uint8_t state_pseudo = 16;     // token is in a pseudo-negation ("didn't mean")

constexpr std::size_t max_slots = 16;
constexpr long max_gap = 8;

struct term_key {
  std::string text;
  bool prefix = false;
  auto operator<=>(const term_key&) const = default;
};

struct builder_node {
  std::map<unsigned char, std::uint32_t> children;
  std::vector<std::uint32_t> literal;
  std::vector<std::uint32_t> prefix;
  bool known = false;
};

bool is_reserved_label(std::string_view label, pattern_kind& kind) {
  if (label == "idiom") kind = pattern_kind::idiom;
  else if (label == "negation") kind = pattern_kind::negation;
  else if (label == "pseudo_negation") kind = pattern_kind::pseudo_negation;
  else if (label == "scope_break") kind = pattern_kind::scope_break;
  else return false;
  return true;
}

}  // namespace

struct phrase_pack::impl {
  struct node {
    std::uint32_t edge_begin = 0, edge_end = 0;
    std::uint32_t literal_begin = 0, literal_end = 0;
    std::uint32_t prefix_begin = 0, prefix_end = 0;
    std::uint32_t depth = 0;
    bool known = false;
  };
  struct edge {
    unsigned char byte;
    std::uint32_t child;
  };
  struct slot {
    std::vector<std::uint32_t> terms;  // sorted term ids
    std::uint8_t gap_before = 0;       // tokens that may be skipped before this slot
    bool optional = false;
  };
  struct pattern {
    pattern_kind kind = pattern_kind::risk;
    std::string label;
    std::string rule;
    std::vector<slot> slots;
    // Terms of the most selective required slot after the first: the pattern is tried only when
    // the message has one of them (cheap pre-check, most patterns never get to match_from).
    std::vector<std::uint32_t> anchor_terms;
  };

  // Trie over the bytes of normalised terms (flattened after loading).
  std::vector<node> nodes;
  std::vector<edge> edges;
  std::vector<std::uint32_t> term_lists;
  std::vector<pattern> patterns;
  // Patterns indexed by the terms of their first slot: [0] idiom/negation group, [1] risk/cue group.
  std::array<std::vector<std::vector<std::uint32_t>>, 2> first_index;

  std::size_t negation_window = 5;
  std::size_t fuzzy_min_length = 5;
  std::size_t fuzzy_substitution_min_length = 8;
  std::size_t fuzzy_max_suffix = 5;  // letters allowed after a stem matched with a spelling error

  // ---- loading state ----
  std::vector<builder_node> builder{builder_node{}};
  std::map<term_key, std::uint32_t> term_ids;
  std::map<std::string, std::vector<term_key>> macros;
  std::map<std::string, std::string> pattern_origin;  // duplicate detection: key -> "file:line"

  std::uint32_t builder_node_for(std::string_view text) {
    std::uint32_t n = 0;
    for (unsigned char c : text) {
      auto it = builder[n].children.find(c);
      if (it == builder[n].children.end()) {
        builder.emplace_back();
        const auto id = static_cast<std::uint32_t>(builder.size() - 1);
        builder[n].children.emplace(c, id);
        n = id;
      } else {
        n = it->second;
      }
    }
    return n;
  }

  std::uint32_t intern(const term_key& key) {
    auto it = term_ids.find(key);
    if (it != term_ids.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(term_ids.size());
    term_ids.emplace(key, id);
    auto& n = builder[builder_node_for(key.text)];
    (key.prefix ? n.prefix : n.literal).push_back(id);
    return id;
  }

  void flatten() {
    nodes.resize(builder.size());
    // Breadth of depth: computed with an explicit stack.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> stack{{0, 0}};
    while (!stack.empty()) {
      auto [id, depth] = stack.back();
      stack.pop_back();
      nodes[id].depth = depth;
      for (auto& [c, child] : builder[id].children) stack.emplace_back(child, depth + 1);
    }
    for (std::size_t i = 0; i < builder.size(); ++i) {
      auto& b = builder[i];
      auto& n = nodes[i];
      n.edge_begin = static_cast<std::uint32_t>(edges.size());
      for (auto& [c, child] : b.children) edges.push_back({c, child});
      n.edge_end = static_cast<std::uint32_t>(edges.size());
      std::sort(b.literal.begin(), b.literal.end());
      b.literal.erase(std::unique(b.literal.begin(), b.literal.end()), b.literal.end());
      n.literal_begin = static_cast<std::uint32_t>(term_lists.size());
      term_lists.insert(term_lists.end(), b.literal.begin(), b.literal.end());
      n.literal_end = static_cast<std::uint32_t>(term_lists.size());
      n.prefix_begin = n.literal_end;
      term_lists.insert(term_lists.end(), b.prefix.begin(), b.prefix.end());
      n.prefix_end = static_cast<std::uint32_t>(term_lists.size());
      n.known = b.known;
    }
    builder.clear();
    builder.shrink_to_fit();
    term_ids.clear();
    macros.clear();
    pattern_origin.clear();
    for (auto& index : first_index) index.resize(term_count_);
    for (auto e = nodes[0].edge_begin; e < nodes[0].edge_end; ++e) root_children[edges[e].byte] = edges[e].child;
    for (auto& p : patterns) {
      for (std::size_t k = 1; k < p.slots.size(); ++k) {
        const auto& sl = p.slots[k];
        if (!sl.optional && (p.anchor_terms.empty() || sl.terms.size() < p.anchor_terms.size())) p.anchor_terms = sl.terms;
      }
    }
    for (std::uint32_t p = 0; p < patterns.size(); ++p) {
      const auto group = (patterns[p].kind == pattern_kind::risk || patterns[p].kind == pattern_kind::cue) ? 1 : 0;
      for (auto t : patterns[p].slots.front().terms) first_index[group][t].push_back(p);
    }
  }
  std::size_t term_count_ = 0;
  std::array<std::uint32_t, 256> root_children{};  // direct table for the widest node

  // ---- matching ----
  std::uint32_t child(std::uint32_t n, unsigned char c) const {
    if (n == 0) return root_children[c];
    const auto& nd = nodes[n];
    for (auto e = nd.edge_begin; e < nd.edge_end; ++e) {
      if (edges[e].byte == c) return edges[e].child;
      if (edges[e].byte > c) break;
    }
    return 0;  // the root is never a child: 0 means "no edge"
  }

  // Exact walk: appends literal terms (whole word) and stem terms (word starts with stem).
  // Returns whether the word is a listed word (terms or known_words).
  bool resolve_exact(std::string_view w, std::vector<std::uint32_t>& out) const {
    std::uint32_t n = 0;
    for (std::size_t d = 0;; ++d) {
      const auto& nd = nodes[n];
      if (d > 0) out.insert(out.end(), term_lists.begin() + nd.prefix_begin, term_lists.begin() + nd.prefix_end);
      if (d == w.size()) {
        out.insert(out.end(), term_lists.begin() + nd.literal_begin, term_lists.begin() + nd.literal_end);
        return nd.known || nd.literal_end > nd.literal_begin;
      }
      n = child(n, static_cast<unsigned char>(w[d]));
      if (n == 0) return false;
    }
  }

  // Walk after an edit: terms reached from node n consuming w[pos..]; stems only if few letters
  // follow them (so "kilometre" is not "kill*" with one letter missing).
  void walk_after_edit(std::uint32_t n, std::string_view w, std::size_t pos, std::vector<std::uint32_t>& out) const {
    for (std::size_t d = pos;; ++d) {
      const auto& nd = nodes[n];
      // A stem counts only if at least one of its letters follows the edit: "slammed" is not
      // "slap*" with an inserted 'p'.
      if (d > pos && w.size() - d <= fuzzy_max_suffix)
        out.insert(out.end(), term_lists.begin() + nd.prefix_begin, term_lists.begin() + nd.prefix_end);
      if (d == w.size()) {
        out.insert(out.end(), term_lists.begin() + nd.literal_begin, term_lists.begin() + nd.literal_end);
        return;
      }
      n = child(n, static_cast<unsigned char>(w[d]));
      if (n == 0) return;
    }
  }

  // One spelling error (letter missing, extra letter, two letters swapped; a wrong letter in
  // long words), never in the first letter.
  void resolve_fuzzy(std::string_view w, std::vector<std::uint32_t>& out) const {
    std::uint32_t n = child(0, static_cast<unsigned char>(w[0]));
    for (std::size_t pos = 1; n != 0 && pos <= w.size(); ++pos) {
      const auto& nd = nodes[n];
      if (pos < w.size()) walk_after_edit(n, w, pos + 1, out);  // extra letter w[pos]
      for (auto e = nd.edge_begin; e < nd.edge_end; ++e) {      // missing letter before w[pos]
        walk_after_edit(edges[e].child, w, pos, out);
        if (pos < w.size() && w.size() >= fuzzy_substitution_min_length &&
            edges[e].byte != static_cast<unsigned char>(w[pos]))
          walk_after_edit(edges[e].child, w, pos + 1, out);     // wrong letter at w[pos]
      }
      if (pos + 1 < w.size() && w[pos] != w[pos + 1]) {          // w[pos], w[pos+1] swapped
        const auto a = child(n, static_cast<unsigned char>(w[pos + 1]));
        const auto b = a ? child(a, static_cast<unsigned char>(w[pos])) : 0;
        if (b) walk_after_edit(b, w, pos + 2, out);
      }
      if (pos < w.size()) n = child(n, static_cast<unsigned char>(w[pos]));
    }
  }

  // Appends the terms of word w; returns whether w is a listed word (a term or in known_words).
  bool resolve(std::string_view w, std::string& buffer, std::vector<std::uint32_t>& out) const {
    const std::size_t before = out.size();
    // A listed word (a term or in known_words) or a stem match is never spelling-corrected.
    const bool listed = resolve_exact(w, out);
    if (listed || out.size() > before) return listed;
    // Chat spelling stretches letters ("chokkkked", "sooo"): cut runs of 3+ to 2 and retry.
    std::string_view word = w;
    bool stretched = false;
    for (std::size_t i = 2; i < w.size() && !stretched; ++i) stretched = w[i] == w[i - 1] && w[i] == w[i - 2];
    if (stretched) {
      buffer.clear();
      for (char c : w) {
        const auto k = buffer.size();
        if (k >= 2 && buffer[k - 1] == c && buffer[k - 2] == c) continue;
        buffer.push_back(c);
      }
      word = buffer;
      const bool stretched_listed = resolve_exact(word, out);
      if (stretched_listed || out.size() > before) return stretched_listed;
    }
    if (word.size() < fuzzy_min_length) return false;
    if (static_cast<unsigned char>(word[0]) >= '0' && static_cast<unsigned char>(word[0]) <= '9') return false;
    resolve_fuzzy(word, out);
    if (out.size() - before > 1) {
      std::sort(out.begin() + static_cast<std::ptrdiff_t>(before), out.end());
      out.erase(std::unique(out.begin() + static_cast<std::ptrdiff_t>(before), out.end()), out.end());
    }
    return false;
  }

  bool token_has(const pack_scratch& s, std::uint32_t tok, const slot& sl) const {
    const auto [b, e] = s.token_terms[tok];
    for (auto i = b; i < e; ++i) {
      if (std::binary_search(sl.terms.begin(), sl.terms.end(), s.term_pool[i])) return true;
    }
    return false;
  }

  // Matches slots[k..] starting at token pos; returns the end token or 0 when no match.
  std::uint32_t match_from(const pack_scratch& s, const pattern& p, std::size_t k, std::uint32_t pos,
                           std::uint32_t extra_gap) const {
    if (k == p.slots.size()) return pos;
    const auto& sl = p.slots[k];
    const auto& tokens = s.text.tokens;
    const auto n = static_cast<std::uint32_t>(tokens.size());
    const std::uint32_t gap = sl.gap_before + extra_gap;
    for (std::uint32_t q = pos; q < n && q <= pos + gap; ++q) {
      if (tokens[q].break_before == token_break::sentence) break;
      // A gap never skips a negation cue: "I said I'd never kill her" is not "said ~3 kill*".
      if (q > pos && p.kind == pattern_kind::risk && (s.token_state[q - 1] & state_neg_start)) break;
      if (token_has(s, q, sl)) {
        if (auto end = match_from(s, p, k + 1, q + 1, 0)) return end;
      }
    }
    if (sl.optional) return match_from(s, p, k + 1, pos, gap);
    return 0;
  }

  void run_group(pack_scratch& s, int group) const {
    const auto& index = first_index[static_cast<std::size_t>(group)];
    const auto n = static_cast<std::uint32_t>(s.text.tokens.size());
    for (std::uint32_t i = 0; i < n; ++i) {
      const auto [b, e] = s.token_terms[i];
      const std::size_t first_found = s.found.size();
      for (auto t = b; t < e; ++t) {
        for (auto p : index[s.term_pool[t]]) {
          const auto& pat = patterns[p];
          if (!pat.anchor_terms.empty()) {
            bool present = false;
            for (auto a : pat.anchor_terms) {
              if (s.term_present[a >> 6] & (std::uint64_t{1} << (a & 63))) {
                present = true;
                break;
              }
            }
            if (!present) continue;
          }
          const std::uint32_t end = match_from(s, pat, 1, i + 1, 0);
          if (end == 0) continue;
          bool seen = false;
          for (std::size_t f = first_found; f < s.found.size() && !seen; ++f) seen = s.found[f].pattern == p;
          if (!seen) s.found.push_back({pat.kind, p, i, end});
        }
      }
    }
  }
};

phrase_pack::phrase_pack() : impl_(std::make_unique<impl>()) {}
phrase_pack::~phrase_pack() = default;

const std::string& phrase_pack::pattern_label(std::uint32_t pattern) const { return impl_->patterns.at(pattern).label; }
const std::string& phrase_pack::pattern_rule(std::uint32_t pattern) const { return impl_->patterns.at(pattern).rule; }
std::size_t phrase_pack::pattern_count() const { return impl_->patterns.size(); }
std::size_t phrase_pack::risk_patterns_for(std::string_view category) const {
  return static_cast<std::size_t>(std::count_if(impl_->patterns.begin(), impl_->patterns.end(), [&](const auto& p) {
    return p.kind == pattern_kind::risk && p.label == category;
  }));
}

namespace {

struct pack_loader {
  phrase_pack::impl& im;
  const text_normaliser& norm;

  // Parses one alternative of a slot ("choke*", "her", "@person") into term keys.
  void parse_alternative(std::string_view alt, bool single, std::vector<term_key>& out,
                         std::vector<std::vector<term_key>>& extra_slots, const fs::path& file,
                         std::size_t line) {
    if (alt.empty()) throw content_error(file, line, "empty alternative in a '|' list");
    if (alt.front() == '@') {
      auto it = im.macros.find(std::string(alt.substr(1)));
      if (it == im.macros.end()) throw content_error(file, line, "unknown macro '" + std::string(alt) + "' (define it in macros.tsv)");
      out.insert(out.end(), it->second.begin(), it->second.end());
      return;
    }
    bool prefix = false;
    if (alt.back() == '*') {
      prefix = true;
      alt.remove_suffix(1);
    }
    for (char c : alt) {
      if (c == '*' || c == '@' || c == '~' || c == '?' || c == '|')
        throw content_error(file, line, "unexpected '" + std::string(1, c) + "' in word '" + std::string(alt) + "'");
    }
    auto words = norm.normalise_words(alt);
    if (words.empty()) throw content_error(file, line, "'" + std::string(alt) + "' has no letters or digits");
    if (prefix && words.back().size() < 3)
      throw content_error(file, line, "stem '" + std::string(alt) + "*' is too short (3 letters at least)");
    if (words.size() > 1) {
      if (!single)
        throw content_error(file, line, "'" + std::string(alt) + "' is several words; an alternative in a '|' list must be one word");
      for (std::size_t i = 1; i < words.size(); ++i)
        extra_slots.push_back({term_key{words[i], prefix && i + 1 == words.size()}});
      out.push_back({words[0], false});
      return;
    }
    out.push_back({words[0], prefix});
  }

  std::vector<phrase_pack::impl::slot> parse_pattern(std::string_view text, const fs::path& file, std::size_t line) {
    std::vector<phrase_pack::impl::slot> slots;
    long pending_gap = -1;
    std::size_t pos = 0;
    while (pos < text.size()) {
      while (pos < text.size() && text[pos] == ' ') ++pos;
      if (pos >= text.size()) break;
      std::size_t end = text.find(' ', pos);
      if (end == std::string_view::npos) end = text.size();
      std::string_view elem = text.substr(pos, end - pos);
      pos = end;
      if (elem.front() == '~') {
        long g = 0;
        if (!content_file::parse_number(elem.substr(1), 1, max_gap, g))
          throw content_error(file, line, "gap '" + std::string(elem) + "' must be ~1 to ~" + std::to_string(max_gap));
        if (slots.empty()) throw content_error(file, line, "a pattern cannot start with a gap");
        if (pending_gap >= 0) throw content_error(file, line, "two gaps in a row");
        pending_gap = g;
        continue;
      }
      bool optional = false;
      if (elem.back() == '?') {
        optional = true;
        elem.remove_suffix(1);
        if (elem.empty()) throw content_error(file, line, "'?' must follow a word");
      }
      std::vector<std::string_view> alts;
      std::size_t a = 0;
      while (true) {
        const std::size_t bar = elem.find('|', a);
        alts.push_back(elem.substr(a, bar == std::string_view::npos ? std::string_view::npos : bar - a));
        if (bar == std::string_view::npos) break;
        a = bar + 1;
      }
      std::vector<term_key> keys;
      std::vector<std::vector<term_key>> extra;
      const bool single = alts.size() == 1 && alts[0].front() != '@' && !optional;
      for (auto alt : alts) parse_alternative(alt, single, keys, extra, file, line);
      phrase_pack::impl::slot sl;
      sl.optional = optional;
      sl.gap_before = static_cast<std::uint8_t>(std::max(0L, pending_gap));
      pending_gap = -1;
      for (auto& k : keys) sl.terms.push_back(im.intern(k));
      slots.push_back(std::move(sl));
      for (auto& ex : extra) {
        phrase_pack::impl::slot s2;
        for (auto& k : ex) s2.terms.push_back(im.intern(k));
        slots.push_back(std::move(s2));
      }
    }
    if (slots.empty()) throw content_error(file, line, "empty phrase");
    if (pending_gap >= 0) throw content_error(file, line, "a pattern cannot end with a gap");
    if (slots.front().optional) throw content_error(file, line, "a pattern cannot start with an optional word");
    if (slots.size() > max_slots)
      throw content_error(file, line, "too many words (" + std::to_string(max_slots) + " at most)");
    for (auto& sl : slots) {
      std::sort(sl.terms.begin(), sl.terms.end());
      sl.terms.erase(std::unique(sl.terms.begin(), sl.terms.end()), sl.terms.end());
    }
    return slots;
  }

  void add_pattern(pattern_kind kind, const std::string& label, const std::string& text, const fs::path& file,
                   const std::string& shown_file, std::size_t line) {
    auto slots = parse_pattern(text, file, line);
    std::string key = label + "\t";
    for (auto& sl : slots) {
      key += "~" + std::to_string(sl.gap_before) + (sl.optional ? "?" : "") + "[";
      for (auto t : sl.terms) key += std::to_string(t) + ",";
      key += "]";
    }
    auto [it, inserted] = im.pattern_origin.emplace(key, shown_file + ":" + std::to_string(line));
    if (!inserted) throw content_error(file, line, "duplicate phrase (same as " + it->second + ")");
    phrase_pack::impl::pattern p;
    p.kind = kind;
    p.label = label;
    p.rule = shown_file + ":" + std::to_string(line) + " " + text;
    p.slots = std::move(slots);
    im.patterns.push_back(std::move(p));
  }

  void load_macros(const fs::path& file) {
    for (auto& l : content_file::read(file)) {
      if (l.fields.size() != 2) throw content_error(file, l.number, "expected: @name<TAB>word|word|...");
      std::string_view name = l.fields[0];
      if (name.size() < 2 || name.front() != '@') throw content_error(file, l.number, "macro name must start with '@'");
      const std::string key(name.substr(1));
      if (im.macros.count(key)) throw content_error(file, l.number, "macro '" + std::string(name) + "' defined twice");
      std::vector<term_key> keys;
      std::vector<std::vector<term_key>> extra;
      std::string_view body = l.fields[1];
      if (body.find(' ') != std::string_view::npos)
        throw content_error(file, l.number, "a macro is a '|' list of single words (no spaces)");
      std::size_t a = 0;
      while (true) {
        const std::size_t bar = body.find('|', a);
        parse_alternative(body.substr(a, bar == std::string_view::npos ? std::string_view::npos : bar - a), false,
                          keys, extra, file, l.number);
        if (bar == std::string_view::npos) break;
        a = bar + 1;
      }
      im.macros.emplace(key, std::move(keys));
    }
  }

  void load_patterns(const fs::path& file, const std::string& shown_file, bool cues) {
    for (auto& l : content_file::read(file)) {
      if (l.fields.size() != 2)
        throw content_error(file, l.number, cues ? "expected: cue<TAB>pattern" : "expected: category<TAB>pattern");
      const std::string& label = l.fields[0];
      if (l.fields[1].empty()) throw content_error(file, l.number, "empty phrase");
      pattern_kind kind = pattern_kind::risk;
      if (cues) {
        if (!is_cue(label)) throw content_error(file, l.number, "unknown cue id '" + label + "'");
        kind = pattern_kind::cue;
      } else if (label.rfind("idiom:", 0) == 0) {
        // An idiom for one category only: "idiom:physical_violence<TAB>kicked ~2 dog".
        if (!category_severity(std::string_view(label).substr(6)))
          throw content_error(file, l.number, "unknown category id in '" + label + "'");
        kind = pattern_kind::idiom;
        add_pattern(kind, label.substr(6), l.fields[1], file, shown_file, l.number);
        continue;
      } else if (!is_reserved_label(label, kind) && !category_severity(label)) {
        throw content_error(file, l.number, "unknown category id '" + label + "'");
      }
      add_pattern(kind, label, l.fields[1], file, shown_file, l.number);
    }
  }
};

}  // namespace

std::unique_ptr<phrase_pack> phrase_pack::load(const fs::path& lang_dir, const fs::path& cue_file,
                                               const std::string& lang) {
  std::unique_ptr<phrase_pack> pack(new phrase_pack());
  pack->lang_ = lang;
  auto& im = *pack->impl_;

  std::string keep_marks;
  const fs::path settings = lang_dir / "language.tsv";
  if (fs::exists(settings)) {
    for (auto& l : content_file::read(settings)) {
      if (l.fields.size() != 2) throw content_error(settings, l.number, "expected: setting<TAB>value");
      const auto& key = l.fields[0];
      long v = 0;
      if (key == "name") {
      } else if (key == "keep_marks") {
        keep_marks = l.fields[1];
      } else if (key == "negation_window") {
        if (!content_file::parse_number(l.fields[1], 1, 12, v)) throw content_error(settings, l.number, "negation_window must be 1 to 12");
        im.negation_window = static_cast<std::size_t>(v);
      } else if (key == "fuzzy_min_length") {
        if (!content_file::parse_number(l.fields[1], 3, 30, v)) throw content_error(settings, l.number, "fuzzy_min_length must be 3 to 30");
        im.fuzzy_min_length = static_cast<std::size_t>(v);
      } else {
        throw content_error(settings, l.number, "unknown setting '" + key + "'");
      }
    }
  }
  pack->normaliser_ = std::make_unique<text_normaliser>(keep_marks);
  pack_loader loader{im, *pack->normaliser_};

  if (fs::exists(lang_dir / "macros.tsv")) loader.load_macros(lang_dir / "macros.tsv");

  std::vector<fs::path> files;
  for (auto& entry : fs::directory_iterator(lang_dir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".tsv") continue;
    const auto name = entry.path().filename().string();
    if (name == "language.tsv" || name == "macros.tsv" || name == "categories.tsv" || name == "spelling.tsv") continue;
    files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  for (auto& f : files) loader.load_patterns(f, lang + "/" + f.filename().string(), false);
  if (!cue_file.empty() && fs::exists(cue_file)) loader.load_patterns(cue_file, "cues/" + lang + "/cues.tsv", true);

  // Spelling variants: the variant token gets the terms of its canonical word.
  const fs::path spelling = lang_dir / "spelling.tsv";
  if (fs::exists(spelling)) {
    for (auto& l : content_file::read(spelling)) {
      if (l.fields.size() != 2) throw content_error(spelling, l.number, "expected: variant<TAB>word");
      auto variant = pack->normaliser_->normalise_words(l.fields[0]);
      auto canonical = pack->normaliser_->normalise_words(l.fields[1]);
      if (variant.size() != 1 || canonical.size() != 1)
        throw content_error(spelling, l.number, "variant and word must each be one word");
      if (variant[0] == canonical[0]) throw content_error(spelling, l.number, "variant is the same as the word");
      std::vector<std::uint32_t> terms;
      std::uint32_t n = 0;
      bool complete = true;
      for (unsigned char c : canonical[0]) {
        auto it = im.builder[n].children.find(c);
        if (it == im.builder[n].children.end()) {
          complete = false;
          break;
        }
        n = it->second;
        terms.insert(terms.end(), im.builder[n].prefix.begin(), im.builder[n].prefix.end());
      }
      if (complete) terms.insert(terms.end(), im.builder[n].literal.begin(), im.builder[n].literal.end());
      auto& target = im.builder[im.builder_node_for(variant[0])];
      target.literal.insert(target.literal.end(), terms.begin(), terms.end());
      target.known = true;  // a listed variant is never spelling-corrected into something else
    }
  }
  const fs::path known = lang_dir / "known_words.txt";
  if (fs::exists(known)) {
    for (auto& l : content_file::read(known)) {
      for (auto& field : l.fields) {
        for (auto& w : pack->normaliser_->normalise_words(field)) im.builder[im.builder_node_for(w)].known = true;
      }
    }
  }
  im.term_count_ = im.term_ids.size();
  im.flatten();
  return pack;
}

void phrase_pack::find(std::string_view text, pack_scratch& s) const {
  const auto& im = *impl_;
  normaliser_->normalise(text, s.text);
  s.term_pool.clear();
  s.token_terms.clear();
  for (std::size_t i = 0; i < s.text.tokens.size(); ++i) {
    const auto b = static_cast<std::uint32_t>(s.term_pool.size());
    const auto word = s.text.token_text(s.text.tokens[i]);
    const bool listed = im.resolve(word, s.word_buffer, s.term_pool);
    if (s.text.tokens[i].joined && !listed && s.term_pool.size() == b) {
      // Spaced-out letters can take in a one-letter word before them ("I s t r a n g l e d her"
      // is joined as "istrangled"): when the whole means nothing and the rest does, the first
      // letter is a word of its own.
      im.resolve(word.substr(s.text.first_letter_size(s.text.tokens[i])), s.word_buffer, s.term_pool);
      if (s.term_pool.size() > b) {
        s.term_pool.resize(b);
        s.text.split_joined_token(i, text);
        im.resolve(s.text.token_text(s.text.tokens[i]), s.word_buffer, s.term_pool);
      }
    }
    s.token_terms.emplace_back(b, static_cast<std::uint32_t>(s.term_pool.size()));
  }
  const auto& tokens = s.text.tokens;
  const auto n = static_cast<std::uint32_t>(tokens.size());
  s.token_state.assign(n, 0);
  if (im.term_count_ == 0) return;
  s.term_present.resize((im.term_count_ + 63) / 64);
  for (auto t : s.term_pool) s.term_present[t >> 6] |= std::uint64_t{1} << (t & 63);
  // Clear only the bits this message set, whatever way find() returns.
  struct clear_bits {
    pack_scratch& s;
    ~clear_bits() {
      for (auto t : s.term_pool) s.term_present[t >> 6] = 0;
    }
  } clear_on_return{s};

  // Pass 1: idioms, negation cues, pseudo-negations, scope breaks.
  const std::size_t base = s.found.size();
  s.category_idioms.clear();
  im.run_group(s, 0);
  for (std::size_t f = base; f < s.found.size(); ++f) {
    const auto& m = s.found[f];
    std::uint8_t bit = 0;
    if (m.kind == pattern_kind::idiom && im.patterns[m.pattern].label != "idiom") {
      s.category_idioms.push_back(m);  // applies to one category only
      continue;
    }
    if (m.kind == pattern_kind::idiom) bit = state_idiom;
    else if (m.kind == pattern_kind::pseudo_negation) bit = state_pseudo;
    else if (m.kind == pattern_kind::scope_break) bit = state_scope_break;
    if (bit == 0) continue;
    for (auto t = m.first_token; t < m.end_token; ++t) s.token_state[t] |= bit;
  }
  for (std::size_t f = base; f < s.found.size(); ++f) {
    const auto& m = s.found[f];
    if (m.kind != pattern_kind::negation || (s.token_state[m.first_token] & state_pseudo)) continue;
    s.token_state[m.first_token] |= state_neg_start;
    for (auto t = m.end_token; t < n && t < m.end_token + im.negation_window; ++t) {
      if (tokens[t].break_before != token_break::none || (s.token_state[t] & state_scope_break)) break;
      s.token_state[t] |= state_negated;
    }
  }
  s.found.resize(base);

  // Pass 2: risk and cue patterns.
  im.run_group(s, 1);
  std::size_t keep = base;
  for (std::size_t f = base; f < s.found.size(); ++f) {
    const auto m = s.found[f];
    if (m.kind == pattern_kind::risk) {
      if (s.token_state[m.first_token] & state_negated) continue;
      bool idiom = false;
      for (auto t = m.first_token; t < m.end_token && !idiom; ++t) idiom = s.token_state[t] & state_idiom;
      if (idiom) continue;
      const auto& label = im.patterns[m.pattern].label;
      for (const auto& ci : s.category_idioms) {
        idiom = idiom || (ci.first_token < m.end_token && m.first_token < ci.end_token &&
                          im.patterns[ci.pattern].label == label);
      }
      if (idiom) continue;
    }
    s.found[keep++] = m;
  }
  s.found.resize(keep);
}

}  // namespace triage
