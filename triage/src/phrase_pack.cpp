#include "triage/phrase_pack.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include "content_file.hpp"
#include "triage/content_error.hpp"
#include "triage/lemmatiser.hpp"
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

enum class term_type : std::uint8_t { literal, prefix, lemma };

struct term_key {
  std::string text;
  term_type type = term_type::literal;
  auto operator<=>(const term_key&) const = default;
};

bool is_reserved_label(std::string_view label, pattern_kind& kind) {
  if (label == "idiom") kind = pattern_kind::idiom;
  else if (label == "negation") kind = pattern_kind::negation;
  else if (label == "pseudo_negation") kind = pattern_kind::pseudo_negation;
  else if (label == "scope_break") kind = pattern_kind::scope_break;
  else return false;
  return true;
}

// A byte trie of normalised words. Built with add(), then flattened into arrays for lookups.
// Each node lists the terms that end there as whole words ("literal") and the stems that any
// longer word may continue ("prefix").
class term_trie {
 public:
  void add(std::string_view text, std::uint32_t term, bool prefix) {
    auto& n = builder_[node_for(text)];
    (prefix ? n.prefix : n.literal).push_back(term);
  }
  void mark_known(std::string_view text) { builder_[node_for(text)].known = true; }
  // Terms an exact word resolves to while still building (for spelling variants).
  std::vector<std::uint32_t> building_terms(std::string_view word) const {
    std::vector<std::uint32_t> terms;
    std::uint32_t n = 0;
    for (unsigned char c : word) {
      auto it = builder_[n].children.find(c);
      if (it == builder_[n].children.end()) return terms;
      n = it->second;
      terms.insert(terms.end(), builder_[n].prefix.begin(), builder_[n].prefix.end());
    }
    terms.insert(terms.end(), builder_[n].literal.begin(), builder_[n].literal.end());
    return terms;
  }
  void add_literal_terms(std::string_view text, const std::vector<std::uint32_t>& terms, bool known) {
    auto& n = builder_[node_for(text)];
    n.literal.insert(n.literal.end(), terms.begin(), terms.end());
    n.known = n.known || known;
  }

  void flatten() {
    nodes_.resize(builder_.size());
    for (std::size_t i = 0; i < builder_.size(); ++i) {
      auto& b = builder_[i];
      auto& n = nodes_[i];
      n.edge_begin = static_cast<std::uint32_t>(edges_.size());
      for (auto& [c, child] : b.children) edges_.push_back({c, child});
      n.edge_end = static_cast<std::uint32_t>(edges_.size());
      for (auto* list : {&b.literal, &b.prefix}) {
        std::sort(list->begin(), list->end());
        list->erase(std::unique(list->begin(), list->end()), list->end());
      }
      n.literal_begin = static_cast<std::uint32_t>(term_lists_.size());
      term_lists_.insert(term_lists_.end(), b.literal.begin(), b.literal.end());
      n.literal_end = static_cast<std::uint32_t>(term_lists_.size());
      n.prefix_begin = n.literal_end;
      term_lists_.insert(term_lists_.end(), b.prefix.begin(), b.prefix.end());
      n.prefix_end = static_cast<std::uint32_t>(term_lists_.size());
      n.known = b.known;
    }
    for (auto e = nodes_[0].edge_begin; e < nodes_[0].edge_end; ++e) root_children_[edges_[e].byte] = edges_[e].child;
    builder_.clear();
    builder_.shrink_to_fit();
  }

  // Exact walk: appends literal terms (whole word) and stem terms (word starts with stem).
  // Returns whether the word is a listed word (a literal term or a known word).
  bool resolve_exact(std::string_view w, std::vector<std::uint32_t>& out) const {
    std::uint32_t n = 0;
    for (std::size_t d = 0;; ++d) {
      const auto& nd = nodes_[n];
      if (d > 0) out.insert(out.end(), term_lists_.begin() + nd.prefix_begin, term_lists_.begin() + nd.prefix_end);
      if (d == w.size()) {
        out.insert(out.end(), term_lists_.begin() + nd.literal_begin, term_lists_.begin() + nd.literal_end);
        return nd.known || nd.literal_end > nd.literal_begin;
      }
      n = child(n, static_cast<unsigned char>(w[d]));
      if (n == 0) return false;
    }
  }

  // One spelling error (letter missing, extra letter, two letters swapped; a wrong letter in
  // long words), never in the first letter.
  void resolve_fuzzy(std::string_view w, std::size_t substitution_min_length, std::size_t max_suffix,
                     std::vector<std::uint32_t>& out) const {
    if (w.empty() || nodes_.empty()) return;
    std::uint32_t n = child(0, static_cast<unsigned char>(w[0]));
    for (std::size_t pos = 1; n != 0 && pos <= w.size(); ++pos) {
      const auto& nd = nodes_[n];
      if (pos < w.size()) walk_after_edit(n, w, pos + 1, max_suffix, out);  // extra letter w[pos]
      for (auto e = nd.edge_begin; e < nd.edge_end; ++e) {                  // missing letter before w[pos]
        walk_after_edit(edges_[e].child, w, pos, max_suffix, out);
        if (pos < w.size() && w.size() >= substitution_min_length &&
            edges_[e].byte != static_cast<unsigned char>(w[pos]))
          walk_after_edit(edges_[e].child, w, pos + 1, max_suffix, out);   // wrong letter at w[pos]
      }
      if (pos + 1 < w.size() && w[pos] != w[pos + 1]) {                      // w[pos], w[pos+1] swapped
        const auto a = child(n, static_cast<unsigned char>(w[pos + 1]));
        const auto b = a ? child(a, static_cast<unsigned char>(w[pos])) : 0;
        if (b) walk_after_edit(b, w, pos + 2, max_suffix, out);
      }
      if (pos < w.size()) n = child(n, static_cast<unsigned char>(w[pos]));
    }
  }

  bool empty() const { return nodes_.size() <= 1 && builder_.size() <= 1; }

 private:
  struct builder_node {
    std::map<unsigned char, std::uint32_t> children;
    std::vector<std::uint32_t> literal;
    std::vector<std::uint32_t> prefix;
    bool known = false;
  };
  struct node {
    std::uint32_t edge_begin = 0, edge_end = 0;
    std::uint32_t literal_begin = 0, literal_end = 0;
    std::uint32_t prefix_begin = 0, prefix_end = 0;
    bool known = false;
  };
  struct edge {
    unsigned char byte;
    std::uint32_t child;
  };

  std::uint32_t node_for(std::string_view text) {
    std::uint32_t n = 0;
    for (unsigned char c : text) {
      auto it = builder_[n].children.find(c);
      if (it == builder_[n].children.end()) {
        builder_.emplace_back();
        const auto id = static_cast<std::uint32_t>(builder_.size() - 1);
        builder_[n].children.emplace(c, id);
        n = id;
      } else {
        n = it->second;
      }
    }
    return n;
  }

  std::uint32_t child(std::uint32_t n, unsigned char c) const {
    if (n == 0) return root_children_[c];
    const auto& nd = nodes_[n];
    for (auto e = nd.edge_begin; e < nd.edge_end; ++e) {
      if (edges_[e].byte == c) return edges_[e].child;
      if (edges_[e].byte > c) break;
    }
    return 0;  // the root is never a child: 0 means "no edge"
  }

  // Walk after an edit: terms reached from node n consuming w[pos..]; stems only if few letters
  // follow them (so "kilometre" is not "kill*" with one letter missing).
  void walk_after_edit(std::uint32_t n, std::string_view w, std::size_t pos, std::size_t max_suffix,
                       std::vector<std::uint32_t>& out) const {
    for (std::size_t d = pos;; ++d) {
      const auto& nd = nodes_[n];
      // A stem counts only if at least one of its letters follows the edit: "slammed" is not
      // "slap*" with an inserted 'p'.
      if (d > pos && w.size() - d <= max_suffix)
        out.insert(out.end(), term_lists_.begin() + nd.prefix_begin, term_lists_.begin() + nd.prefix_end);
      if (d == w.size()) {
        out.insert(out.end(), term_lists_.begin() + nd.literal_begin, term_lists_.begin() + nd.literal_end);
        return;
      }
      n = child(n, static_cast<unsigned char>(w[d]));
      if (n == 0) return;
    }
  }

  std::vector<builder_node> builder_{builder_node{}};
  std::vector<node> nodes_;
  std::vector<edge> edges_;
  std::vector<std::uint32_t> term_lists_;
  std::array<std::uint32_t, 256> root_children_{};  // direct table for the widest node
};

}  // namespace

struct phrase_pack::impl {
  struct slot {
    std::vector<std::uint32_t> terms;  // sorted term ids
    std::uint8_t gap_before = 0;       // tokens that may be skipped before this slot
    bool optional = false;
  };
  struct pattern {
    pattern_kind kind = pattern_kind::risk;
    std::string label;
    std::string rule;
    std::string reason;
    std::vector<slot> slots;
    // Terms of the two most selective required slots after the first: the pattern is tried only
    // when the message has one of each (cheap pre-check, most patterns never get to match_from).
    std::vector<std::uint32_t> anchor_terms;
    std::vector<std::uint32_t> second_anchor_terms;
  };

  term_trie surface;  // literal words and stems
  term_trie lemmas;   // lemma keys
  bool has_lemma_terms = false;
  const lemmatiser* lemmatise = nullptr;
  std::vector<pattern> patterns;
  // Patterns indexed by the terms of their first slot: [0] idiom/negation group, [1] the others.
  std::array<std::vector<std::vector<std::uint32_t>>, 2> first_index;

  std::size_t negation_window = 5;
  std::size_t fuzzy_min_length = 5;
  std::size_t fuzzy_substitution_min_length = 8;
  std::size_t fuzzy_max_suffix = 5;  // letters allowed after a stem matched with a spelling error
  std::size_t term_count = 0;
  std::vector<bool> term_short;  // per term while loading: 3 letters or fewer (likely a common word)

  // ---- loading state ----
  std::map<term_key, std::uint32_t> term_ids;
  std::map<std::string, std::vector<term_key>> macros;
  std::map<std::string, std::string> pattern_origin;  // duplicate detection: key -> "file:line"

  std::uint32_t intern(const term_key& key) {
    auto it = term_ids.find(key);
    if (it != term_ids.end()) return it->second;
    const auto id = static_cast<std::uint32_t>(term_ids.size());
    term_ids.emplace(key, id);
    term_short.push_back(key.text.size() <= 3);
    if (key.type == term_type::lemma) {
      lemmas.add(key.text, id, false);
      has_lemma_terms = true;
    } else {
      surface.add(key.text, id, key.type == term_type::prefix);
    }
    return id;
  }

  void flatten() {
    term_count = term_ids.size();
    surface.flatten();
    lemmas.flatten();
    term_ids.clear();
    macros.clear();
    pattern_origin.clear();
    for (auto& index : first_index) index.resize(term_count);
    // A slot's selectivity: short words ("her", "the", "i") are in most messages, so a slot with
    // one is a poor pre-check however few alternatives it has.
    auto cost = [&](const slot& sl) {
      const bool common = std::any_of(sl.terms.begin(), sl.terms.end(), [&](std::uint32_t t) { return term_short[t]; });
      return (common ? 100000 : 0) + sl.terms.size();
    };
    for (auto& p : patterns) {
      std::vector<const slot*> required;
      for (std::size_t k = 1; k < p.slots.size(); ++k) {
        if (!p.slots[k].optional) required.push_back(&p.slots[k]);
      }
      std::sort(required.begin(), required.end(), [&](const slot* a, const slot* b) { return cost(*a) < cost(*b); });
      if (!required.empty()) p.anchor_terms = required[0]->terms;
      if (required.size() > 1) p.second_anchor_terms = required[1]->terms;
    }
    term_short.clear();
    term_short.shrink_to_fit();
    for (std::uint32_t p = 0; p < patterns.size(); ++p) {
      const auto k = patterns[p].kind;
      const auto group = (k == pattern_kind::idiom || k == pattern_kind::negation || k == pattern_kind::pseudo_negation ||
                          k == pattern_kind::scope_break) ? 0 : 1;
      for (auto t : patterns[p].slots.front().terms) first_index[group][t].push_back(p);
    }
  }

  // Terms of one token: literal words and stems from the surface trie, lemmas from the lemma
  // trie; one spelling error allowed in words that match nothing and are not listed. Returns
  // whether the word is listed (a term or a known word).
  bool resolve_uncached(std::string_view w, pack_scratch& s) const {
    auto& out = s.term_pool;
    const std::size_t before = out.size();
    bool known = surface.resolve_exact(w, out);
    if (has_lemma_terms) {
      s.lemma_keys.clear();
      lemmatise->lemmas(w, s.lemma_keys);
      for (const auto& key : s.lemma_keys) known = lemmas.resolve_exact(key, out) || known;
    }
    // A listed word (a term or in known_words) or a stem match is never spelling-corrected.
    if (!known && out.size() == before) {
      // Chat spelling stretches letters ("chokkkked", "sooo"): cut runs of 3+ to 2 and retry.
      std::string_view word = w;
      bool stretched = false;
      for (std::size_t i = 2; i < w.size() && !stretched; ++i) stretched = w[i] == w[i - 1] && w[i] == w[i - 2];
      if (stretched) {
        auto& buffer = s.word_buffer;
        buffer.clear();
        for (char c : w) {
          const auto k = buffer.size();
          if (k >= 2 && buffer[k - 1] == c && buffer[k - 2] == c) continue;
          buffer.push_back(c);
        }
        word = buffer;
        known = surface.resolve_exact(word, out);
        if (has_lemma_terms && !known && out.size() == before) {
          s.lemma_keys.clear();
          lemmatise->lemmas(word, s.lemma_keys);
          for (const auto& key : s.lemma_keys) known = lemmas.resolve_exact(key, out) || known;
        }
      }
      const bool digit_first = !word.empty() && word[0] >= '0' && word[0] <= '9';
      if (!known && out.size() == before && word.size() >= fuzzy_min_length && !digit_first) {
        surface.resolve_fuzzy(word, fuzzy_substitution_min_length, fuzzy_max_suffix, out);
        if (has_lemma_terms) {
          for (const auto& key : s.lemma_keys) {
            if (key.size() >= fuzzy_min_length) lemmas.resolve_fuzzy(key, fuzzy_substitution_min_length, 0, out);
          }
        }
      }
    }
    if (out.size() - before > 1) {
      std::sort(out.begin() + static_cast<std::ptrdiff_t>(before), out.end());
      out.erase(std::unique(out.begin() + static_cast<std::ptrdiff_t>(before), out.end()), out.end());
    }
    return known;
  }

  // Chat repeats its words: what a word resolves to (exact, lemma and spelling-corrected terms) is
  // remembered per thread and per pack, so a word seen before costs one hash lookup. Each cache
  // holds at most max_cached_words words and starts again empty when full; a thread keeps caches
  // for the last 4 packs it used (a pack's id is never reused, so a content reload never meets a
  // stale entry).
  bool resolve(std::string_view w, pack_scratch& s) const {
    static constexpr std::size_t max_cached_words = 16384;
    static constexpr std::size_t max_cached_word_bytes = 32;
    if (w.size() > max_cached_word_bytes) return resolve_uncached(w, s);
    auto& cache = word_cache_for(id);
    if (auto it = cache.find(w); it != cache.end()) {
      s.term_pool.insert(s.term_pool.end(), it->second.terms.begin(), it->second.terms.end());
      return it->second.listed;
    }
    const std::size_t before = s.term_pool.size();
    const bool listed = resolve_uncached(w, s);
    if (cache.size() >= max_cached_words) cache.clear();
    cache.emplace(std::string(w), cached_word{{s.term_pool.begin() + static_cast<std::ptrdiff_t>(before), s.term_pool.end()}, listed});
    return listed;
  }

  struct cached_word {
    std::vector<std::uint32_t> terms;
    bool listed = false;
  };
  struct word_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view v) const noexcept { return std::hash<std::string_view>{}(v); }
  };
  using word_cache = std::unordered_map<std::string, cached_word, word_hash, std::equal_to<>>;
  static word_cache& word_cache_for(std::uint64_t pack_id) {
    struct cache_slot {
      std::uint64_t pack = 0;
      std::uint64_t used = 0;
      word_cache words;
    };
    thread_local std::array<cache_slot, 4> slots;
    thread_local std::uint64_t clock = 0;
    ++clock;
    cache_slot* victim = &slots[0];
    for (auto& sl : slots) {
      if (sl.pack == pack_id) {
        sl.used = clock;
        return sl.words;
      }
      if (sl.used < victim->used) victim = &sl;
    }
    victim->pack = pack_id;
    victim->used = clock;
    victim->words.clear();
    return victim->words;
  }
  static std::uint64_t next_id() {
    static std::atomic<std::uint64_t> counter{0};
    return ++counter;
  }
  const std::uint64_t id = next_id();

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
    const bool negation_sensitive = p.kind == pattern_kind::risk || p.kind == pattern_kind::lexicon;
    for (std::uint32_t q = pos; q < n && q <= pos + gap; ++q) {
      if (tokens[q].break_before == token_break::sentence) break;
      // A gap never skips a negation cue: "I said I'd never kill her" is not "said ~3 kill*".
      if (q > pos && negation_sensitive && (s.token_state[q - 1] & state_neg_start)) break;
      if (token_has(s, q, sl)) {
        if (auto end = match_from(s, p, k + 1, q + 1, 0)) return end;
      }
    }
    if (sl.optional) return match_from(s, p, k + 1, pos, gap);
    return 0;
  }

  // Whether the message has one of `terms` (true for an empty list).
  static bool any_present(const pack_scratch& s, const std::vector<std::uint32_t>& terms) {
    if (terms.empty()) return true;
    for (auto a : terms) {
      if (s.term_present[a >> 6] & (std::uint64_t{1} << (a & 63))) return true;
    }
    return false;
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
          if (!any_present(s, pat.anchor_terms) || !any_present(s, pat.second_anchor_terms)) continue;
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
const std::string& phrase_pack::pattern_reason(std::uint32_t pattern) const { return impl_->patterns.at(pattern).reason; }
std::size_t phrase_pack::pattern_count() const { return impl_->patterns.size(); }
std::size_t phrase_pack::risk_patterns_for(std::string_view category) const {
  return static_cast<std::size_t>(std::count_if(impl_->patterns.begin(), impl_->patterns.end(), [&](const auto& p) {
    return p.kind == pattern_kind::risk && p.label == category;
  }));
}
std::size_t phrase_pack::concept_patterns_for(std::string_view concept_id) const {
  return static_cast<std::size_t>(std::count_if(impl_->patterns.begin(), impl_->patterns.end(), [&](const auto& p) {
    return p.kind == pattern_kind::lexicon && p.label == concept_id;
  }));
}

namespace {

// How a plain word in a pattern is read: as written (phrase files) or as a lemma standing for all
// its inflected forms (concept and context files).
enum class word_reading { literal, lemma };

struct pack_loader {
  phrase_pack::impl& im;
  const text_normaliser& norm;
  const lemmatiser& lem;
  const pack_vocabulary& vocabulary;

  void lemma_keys(const std::string& word, std::vector<term_key>& out) {
    std::vector<std::string> keys;
    lem.lemmas(word, keys);
    if (keys.empty()) keys.push_back(word);
    for (auto& k : keys) out.push_back({std::move(k), term_type::lemma});
  }

  // Parses one alternative of a slot ("choke*", "her", "@person", "strangle+", "=left") into
  // term keys.
  void parse_alternative(std::string_view alt, bool single, word_reading reading, std::vector<term_key>& out,
                         std::vector<std::vector<term_key>>& extra_slots, const fs::path& file, std::size_t line) {
    if (alt.empty()) throw content_error(file, line, "empty alternative in a '|' list");
    if (alt.front() == '@') {
      auto it = im.macros.find(std::string(alt.substr(1)));
      if (it == im.macros.end()) throw content_error(file, line, "unknown macro '" + std::string(alt) + "' (define it in macros.tsv)");
      out.insert(out.end(), it->second.begin(), it->second.end());
      return;
    }
    term_type type = reading == word_reading::lemma ? term_type::lemma : term_type::literal;
    if (alt.back() == '*') {
      type = term_type::prefix;
      alt.remove_suffix(1);
    } else if (alt.back() == '+') {
      type = term_type::lemma;
      alt.remove_suffix(1);
    } else if (alt.front() == '=') {
      type = term_type::literal;
      alt.remove_prefix(1);
    }
    for (char c : alt) {
      if (c == '*' || c == '@' || c == '~' || c == '?' || c == '|' || c == '+' || c == '=')
        throw content_error(file, line, "unexpected '" + std::string(1, c) + "' in word '" + std::string(alt) + "'");
    }
    auto words = norm.normalise_words(alt);
    if (words.empty()) throw content_error(file, line, "'" + std::string(alt) + "' has no letters or digits");
    if (type == term_type::prefix && words.back().size() < 3)
      throw content_error(file, line, "stem '" + std::string(alt) + "*' is too short (3 letters at least)");
    auto keys_of = [&](const std::string& w, term_type t, std::vector<term_key>& into) {
      if (t == term_type::lemma) lemma_keys(w, into);
      else into.push_back({w, t});
    };
    if (words.size() > 1) {
      if (!single)
        throw content_error(file, line, "'" + std::string(alt) + "' is several words; an alternative in a '|' list must be one word");
      for (std::size_t i = 1; i < words.size(); ++i) {
        std::vector<term_key> keys;
        const bool last = i + 1 == words.size();
        keys_of(words[i], type == term_type::prefix && !last ? term_type::literal : type, keys);
        extra_slots.push_back(std::move(keys));
      }
      keys_of(words[0], type == term_type::prefix ? term_type::literal : type, out);
      return;
    }
    keys_of(words[0], type, out);
  }

  std::vector<phrase_pack::impl::slot> parse_pattern(std::string_view text, word_reading reading, const fs::path& file,
                                                     std::size_t line) {
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
      for (auto alt : alts) parse_alternative(alt, single, reading, keys, extra, file, line);
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

  void add_pattern(pattern_kind kind, const std::string& label, const std::string& text, word_reading reading,
                   const std::string& reason, const fs::path& file, const std::string& shown_file, std::size_t line) {
    auto slots = parse_pattern(text, reading, file, line);
    std::string key = std::to_string(static_cast<int>(kind)) + "\t" + label + "\t";
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
    p.reason = reason;
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
                          word_reading::literal, keys, extra, file, l.number);
        if (bar == std::string_view::npos) break;
        a = bar + 1;
      }
      im.macros.emplace(key, std::move(keys));
    }
  }

  bool is_concept(std::string_view id) const {
    return std::find(vocabulary.concepts.begin(), vocabulary.concepts.end(), id) != vocabulary.concepts.end();
  }
  bool is_context(std::string_view id) const {
    return std::find(vocabulary.contexts.begin(), vocabulary.contexts.end(), id) != vocabulary.contexts.end();
  }

  // Phrase files: category<TAB>pattern[<TAB>reason], plus idiom, idiom:<id>, negation,
  // pseudo_negation and scope_break lines. Words are read as written.
  void load_phrases(const fs::path& file, const std::string& shown_file) {
    for (auto& l : content_file::read(file)) {
      if (l.fields.size() != 2 && l.fields.size() != 3)
        throw content_error(file, l.number, "expected: category<TAB>pattern[<TAB>reason]");
      const std::string& label = l.fields[0];
      if (l.fields[1].empty()) throw content_error(file, l.number, "empty phrase");
      const std::string reason = l.fields.size() == 3 ? l.fields[2] : std::string{};
      pattern_kind kind = pattern_kind::risk;
      if (label.rfind("idiom:", 0) == 0) {
        // An idiom for one category or concept only: "idiom:physical_violence<TAB>kicked ~2 dog".
        const auto target = std::string_view(label).substr(6);
        if (!category_severity(target) && !is_concept(target))
          throw content_error(file, l.number, "unknown category or concept id in '" + label + "'");
        add_pattern(pattern_kind::idiom, std::string(target), l.fields[1], word_reading::literal, reason, file,
                    shown_file, l.number);
        continue;
      }
      if (is_concept(label)) {
        // A concept written as a phrase (words as written, not lemmas): evidence for frames.
        if (!reason.empty()) throw content_error(file, l.number, "only category lines take a reason column");
        add_pattern(pattern_kind::lexicon, label, l.fields[1], word_reading::literal, {}, file, shown_file, l.number);
        continue;
      }
      if (!is_reserved_label(label, kind) && !category_severity(label)) {
        throw content_error(file, l.number,
                            "unknown category or concept id '" + label + "' (see docs/risk-taxonomy.md and frames/concepts.tsv)");
      }
      if (kind != pattern_kind::risk && !reason.empty())
        throw content_error(file, l.number, "only category lines take a reason column");
      add_pattern(kind, label, l.fields[1], word_reading::literal, reason, file, shown_file, l.number);
    }
  }

  void load_cues(const fs::path& file, const std::string& shown_file) {
    for (auto& l : content_file::read(file)) {
      if (l.fields.size() != 2) throw content_error(file, l.number, "expected: cue<TAB>pattern");
      if (!is_cue(l.fields[0])) throw content_error(file, l.number, "unknown cue id '" + l.fields[0] + "'");
      if (l.fields[1].empty()) throw content_error(file, l.number, "empty phrase");
      add_pattern(pattern_kind::cue, l.fields[0], l.fields[1], word_reading::literal, {}, file, shown_file, l.number);
    }
  }

  // Concept files: concept<TAB>pattern; context file: mode<TAB>pattern. Words are lemmas.
  void load_lemma_file(const fs::path& file, const std::string& shown_file, pattern_kind kind) {
    for (auto& l : content_file::read(file)) {
      const bool concepts = kind == pattern_kind::lexicon;
      if (l.fields.size() != 2)
        throw content_error(file, l.number, concepts ? "expected: concept<TAB>pattern" : "expected: context<TAB>pattern");
      const std::string& label = l.fields[0];
      if (concepts && !is_concept(label))
        throw content_error(file, l.number, "unknown concept id '" + label + "' (declare it in frames/concepts.tsv)");
      if (!concepts && !is_context(label))
        throw content_error(file, l.number, "unknown context '" + label + "' (declare it in frames/contexts.tsv)");
      if (l.fields[1].empty()) throw content_error(file, l.number, "empty phrase");
      add_pattern(kind, label, l.fields[1], word_reading::lemma, {}, file, shown_file, l.number);
    }
  }
};

// Lemmatisers are immutable once built and a Hunspell dictionary takes up to a second to load: a
// content reload (or a test loading content many times) reuses the one already in memory. Kept
// for the life of the process: one per spec a content folder ever named (a handful). Never
// destroyed: freeing a Hunspell dictionary at exit costs a quarter of a second for nothing.
std::shared_ptr<const lemmatiser> shared_lemmatiser(const std::string& spec) {
  static std::mutex mutex;
  static auto& cache = *new std::map<std::string, std::shared_ptr<const lemmatiser>>();
  std::lock_guard lock(mutex);
  if (auto existing = cache[spec]) return existing;
  std::shared_ptr<const lemmatiser> made = lemmatiser::create(spec);
  cache[spec] = made;
  return made;
}

std::vector<fs::path> tsv_files(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".tsv") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

std::unique_ptr<phrase_pack> phrase_pack::load(const fs::path& lang_dir, const fs::path& cue_file,
                                               const std::string& lang, const pack_vocabulary& vocabulary) {
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
      } else if (key == "lemmatiser") {
        pack->lemmatiser_spec_ = l.fields[1];
        try {
          pack->lemmatiser_ = shared_lemmatiser(l.fields[1]);
        } catch (const content_error& e) {
          throw content_error(settings, l.number, e.what());
        } catch (const std::exception& e) {
          throw content_error(settings, l.number, std::string("lemmatiser: ") + e.what());
        }
      } else {
        throw content_error(settings, l.number, "unknown setting '" + key + "'");
      }
    }
  }
  if (!pack->lemmatiser_) pack->lemmatiser_ = shared_lemmatiser("none");
  im.lemmatise = pack->lemmatiser_.get();
  pack->normaliser_ = std::make_unique<text_normaliser>(keep_marks);
  pack_loader loader{im, *pack->normaliser_, *pack->lemmatiser_, vocabulary};

  if (fs::exists(lang_dir / "macros.tsv")) loader.load_macros(lang_dir / "macros.tsv");

  for (auto& f : tsv_files(lang_dir)) {
    const auto name = f.filename().string();
    if (name == "language.tsv" || name == "macros.tsv" || name == "categories.tsv" || name == "spelling.tsv" ||
        name == "contexts.tsv")
      continue;
    loader.load_phrases(f, lang + "/" + name);
  }
  for (auto& f : tsv_files(lang_dir / "concepts"))
    loader.load_lemma_file(f, lang + "/concepts/" + f.filename().string(), pattern_kind::lexicon);
  if (fs::exists(lang_dir / "contexts.tsv"))
    loader.load_lemma_file(lang_dir / "contexts.tsv", lang + "/contexts.tsv", pattern_kind::context);
  if (!cue_file.empty() && fs::exists(cue_file)) loader.load_cues(cue_file, "cues/" + lang + "/cues.tsv");

  // Spelling variants: the variant token gets the terms of its canonical word (as written and as
  // a lemma).
  const fs::path spelling = lang_dir / "spelling.tsv";
  if (fs::exists(spelling)) {
    for (auto& l : content_file::read(spelling)) {
      if (l.fields.size() != 2) throw content_error(spelling, l.number, "expected: variant<TAB>word");
      auto variant = pack->normaliser_->normalise_words(l.fields[0]);
      auto canonical = pack->normaliser_->normalise_words(l.fields[1]);
      if (variant.size() != 1 || canonical.size() != 1)
        throw content_error(spelling, l.number, "variant and word must each be one word");
      if (variant[0] == canonical[0]) throw content_error(spelling, l.number, "variant is the same as the word");
      auto terms = im.surface.building_terms(canonical[0]);
      std::vector<std::string> keys;
      pack->lemmatiser_->lemmas(canonical[0], keys);
      for (const auto& k : keys) {
        auto more = im.lemmas.building_terms(k);
        terms.insert(terms.end(), more.begin(), more.end());
      }
      // A listed variant is never spelling-corrected into something else.
      im.surface.add_literal_terms(variant[0], terms, true);
    }
  }
  const fs::path known = lang_dir / "known_words.txt";
  if (fs::exists(known)) {
    for (auto& l : content_file::read(known)) {
      for (auto& field : l.fields) {
        for (auto& w : pack->normaliser_->normalise_words(field)) im.surface.mark_known(w);
      }
    }
  }
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
    const bool listed = im.resolve(word, s);
    if (s.text.tokens[i].joined && !listed && s.term_pool.size() == b) {
      // Spaced-out letters can take in a one-letter word before them ("I s t r a n g l e d her"
      // is joined as "istrangled"): when the whole means nothing and the rest does, the first
      // letter is a word of its own.
      im.resolve(word.substr(s.text.first_letter_size(s.text.tokens[i])), s);
      if (s.term_pool.size() > b) {
        s.term_pool.resize(b);
        s.text.split_joined_token(i, text);
        im.resolve(s.text.token_text(s.text.tokens[i]), s);
      }
    }
    s.token_terms.emplace_back(b, static_cast<std::uint32_t>(s.term_pool.size()));
  }
  const auto& tokens = s.text.tokens;
  const auto n = static_cast<std::uint32_t>(tokens.size());
  s.token_state.assign(n, 0);
  if (im.term_count == 0) return;
  s.term_present.resize((im.term_count + 63) / 64);
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
      s.category_idioms.push_back(m);  // applies to one category or concept only
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

  // Pass 2: risk phrases, concepts, context markers and cues.
  im.run_group(s, 1);
  std::size_t keep = base;
  for (std::size_t f = base; f < s.found.size(); ++f) {
    const auto m = s.found[f];
    if (m.kind == pattern_kind::risk || m.kind == pattern_kind::lexicon) {
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
