#include "triage/lemmatiser.hpp"

#include <hunspell.h>
#include <libstemmer.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <new>
#include <span>

#include "folded_dictionary.hpp"
#include "folded_dictionary_cache.hpp"
#include "lemma_cache.hpp"
#include "triage/content_error.hpp"
#include "triage/text_normaliser.hpp"

namespace triage {
namespace {

// Hunspell gives up on longer words anyway (MAXWORDLEN); such a token is its own lemma.
constexpr std::size_t max_hunspell_word = 100;

// What content_error names as the "file" of a bad spec ("lemmatiser: unknown spec ..."): the spec
// comes from code or a language pack setting, whose loader can add its own file and line.
const std::filesystem::path spec_origin = "lemmatiser";

// The list Hunspell_stem allocates, freed on every path.
class hunspell_list {
 public:
  explicit hunspell_list(Hunhandle* h) : h_(h) {}
  ~hunspell_list() {
    if (list_ != nullptr) Hunspell_free_list(h_, &list_, size_);
  }
  hunspell_list(const hunspell_list&) = delete;
  hunspell_list& operator=(const hunspell_list&) = delete;

  void stem(const char* word) { size_ = Hunspell_stem(h_, &list_, word); }
  std::span<char* const> items() const {
    return list_ == nullptr || size_ <= 0 ? std::span<char* const>{}
                                          : std::span<char* const>(list_, static_cast<std::size_t>(size_));
  }

 private:
  Hunhandle* h_;
  char** list_ = nullptr;
  int size_ = 0;
};

std::string snowball_algorithms() {
  std::string names;
  for (const char** n = sb_stemmer_list(); n != nullptr && *n != nullptr; ++n) {
    names += (names.empty() ? "" : ", ") + std::string(*n);
  }
  return names;
}

bool valid_dictionary_name(std::string_view name) {
  // A file name, never a path ("../x" or "/etc/x" must not escape dictionary_dir).
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

void append_unique(std::vector<std::string>& out, std::size_t first, std::string_view lemma) {
  for (std::size_t k = first; k < out.size(); ++k) {
    if (out[k] == lemma) return;
  }
  out.emplace_back(lemma);
}

}  // namespace

void lemmatiser::hunspell_deleter::operator()(Hunhandle* h) const noexcept { Hunspell_destroy(h); }
void lemmatiser::stemmer_deleter::operator()(sb_stemmer* s) const noexcept { sb_stemmer_delete(s); }

// One per thread and lemmatiser. Snowball stemmers keep their working buffer inside the handle,
// so each thread has its own (a few hundred bytes) rather than taking turns for a lock.
struct lemmatiser::thread_state {
  std::uint64_t owner = 0;
  std::uint64_t last_used = 0;
  lemma_cache cache;
  stemmer_handle stemmer;
};

lemmatiser::lemmatiser(backend kind, std::string spec) : kind_(kind), spec_(std::move(spec)) {
  static std::atomic<std::uint64_t> next_id{1};
  id_ = next_id.fetch_add(1, std::memory_order_relaxed);
}

lemmatiser::~lemmatiser() = default;

std::unique_ptr<lemmatiser> lemmatiser::create(std::string_view spec,
                                               const std::filesystem::path& dictionary_dir) {
  if (spec == "none") return std::unique_ptr<lemmatiser>(new lemmatiser(backend::none, "none"));
  const auto colon = spec.find(':');
  const auto kind = spec.substr(0, colon);
  const auto name = colon == std::string_view::npos ? std::string_view{} : spec.substr(colon + 1);
  const std::string quoted = "'" + std::string(spec) + "'";

  if (kind == "snowball") {
    const std::string algorithm(name);
    stemmer_handle probe(algorithm.empty() ? nullptr : sb_stemmer_new(algorithm.c_str(), "UTF_8"));
    if (!probe) {
      throw content_error(spec_origin, 0,
                          "unknown Snowball algorithm in spec " + quoted +
                              " (libstemmer has: " + snowball_algorithms() + ")");
    }
    std::unique_ptr<lemmatiser> l(new lemmatiser(backend::snowball, std::string(spec)));
    l->algorithm_ = algorithm;
    return l;
  }

  if (kind == "hunspell") {
    if (!valid_dictionary_name(name)) {
      throw content_error(spec_origin, 0,
                          "spec " + quoted +
                              " needs a dictionary name such as hunspell:en_GB (letters, digits, _ and -)");
    }
    const auto aff = dictionary_dir / (std::string(name) + ".aff");
    const auto dic = dictionary_dir / (std::string(name) + ".dic");
    for (const auto& file : {aff, dic}) {
      std::error_code ec;
      if (!std::filesystem::is_regular_file(file, ec)) {
        throw content_error(file, 0,
                            "not found: Hunspell dictionary for lemmatiser spec " + quoted +
                                " (Debian: install the hunspell-<language> package)");
      }
    }
    hunspell_handle h;
    // Folding is the larger part of the load: a copy folded by an earlier process is reused.
    const auto cache = folded_dictionary_cache::open();
    if (const auto cached = cache ? cache->find(aff, dic) : std::nullopt) {
      h.reset(Hunspell_create(cached->aff.c_str(), cached->dic.c_str()));
    } else {
      const text_normaliser normaliser;  // the folding chat tokens get (no letters kept)
      // This folded copy only lives until Hunspell has read it (and the cache has copied it).
      const folded_dictionary folded(aff, dic, normaliser);
      if (folded.words() == 0) throw content_error(dic, 0, "the Hunspell dictionary has no words");
      h.reset(Hunspell_create(folded.aff().c_str(), folded.dic().c_str()));
      if (h && cache) cache->store(aff, dic, folded.aff(), folded.dic());
    }
    if (!h) throw std::bad_alloc();
    std::unique_ptr<lemmatiser> l(new lemmatiser(backend::hunspell, std::string(spec)));
    l->hunspell_ = std::move(h);
    return l;
  }

  throw content_error(spec_origin, 0,
                      "unknown spec " + quoted +
                          " (expected none, snowball:<algorithm> or hunspell:<dictionary>)");
}

lemmatiser::thread_state& lemmatiser::this_thread_state() const {
  // A thread keeps state for up to 8 lemmatisers (a few languages, plus the generations a content
  // reload leaves behind until they are evicted). When all 8 are taken, the one used longest ago
  // is replaced; if its lemmatiser is still alive, it just starts again with an empty cache.
  // The state of a destroyed lemmatiser is freed when it is evicted or the thread exits.
  constexpr std::size_t max_states = 8;
  thread_local std::array<std::unique_ptr<thread_state>, max_states> states;
  thread_local std::uint64_t clock = 0;
  ++clock;
  std::unique_ptr<thread_state>* victim = nullptr;
  for (auto& s : states) {
    if (s && s->owner == id_) {
      s->last_used = clock;
      return *s;
    }
    if (victim == nullptr || (*victim && (!s || s->last_used < (*victim)->last_used))) victim = &s;
  }
  auto fresh = std::make_unique<thread_state>();
  fresh->owner = id_;
  fresh->last_used = clock;
  if (kind_ == backend::snowball) {
    fresh->stemmer.reset(sb_stemmer_new(algorithm_.c_str(), "UTF_8"));
    if (!fresh->stemmer) throw std::bad_alloc();  // the algorithm was checked by create()
  }
  *victim = std::move(fresh);
  return **victim;
}

void lemmatiser::lemmas(std::string_view token, std::vector<std::string>& out) const {
  if (kind_ == backend::none || token.empty()) {
    if (!token.empty()) out.emplace_back(token);
    return;
  }
  thread_state& state = this_thread_state();
  if (state.cache.find(token, out)) return;
  const auto first = out.size();
  analyse(state, token, out);
  state.cache.store(token, std::span<const std::string>(out).subspan(first));
}

void lemmatiser::analyse(std::string_view token, std::vector<std::string>& out) const {
  if (kind_ == backend::none || token.empty()) {
    if (!token.empty()) out.emplace_back(token);
    return;
  }
  analyse(this_thread_state(), token, out);
}

void lemmatiser::analyse(thread_state& state, std::string_view token, std::vector<std::string>& out) const {
  switch (kind_) {
    case backend::none:
      out.emplace_back(token);
      return;
    case backend::snowball:
      stem_snowball(state, token, out);
      return;
    case backend::hunspell:
      stem_hunspell(token, out);
      return;
  }
}

void lemmatiser::stem_snowball(thread_state& state, std::string_view token, std::vector<std::string>& out) const {
  const sb_symbol* stem = sb_stemmer_stem(state.stemmer.get(), reinterpret_cast<const sb_symbol*>(token.data()),
                                          static_cast<int>(std::min<std::size_t>(token.size(), 0x7FFFFFFF)));
  if (stem == nullptr) throw std::bad_alloc();  // libstemmer's only failure
  const auto size = static_cast<std::size_t>(sb_stemmer_length(state.stemmer.get()));
  if (size == 0) {
    out.emplace_back(token);
  } else {
    out.emplace_back(reinterpret_cast<const char*>(stem), size);
  }
}

void lemmatiser::stem_hunspell(std::string_view token, std::vector<std::string>& out) const {
  if (token.size() > max_hunspell_word) {
    out.emplace_back(token);
    return;
  }
  std::array<char, max_hunspell_word + 1> word{};  // Hunspell wants a NUL-terminated string
  std::copy(token.begin(), token.end(), word.begin());
  const auto first = out.size();
  {
    const std::lock_guard lock(hunspell_mutex_);
    hunspell_list stems(hunspell_.get());
    stems.stem(word.data());
    for (const char* s : stems.items()) {
      if (s != nullptr && *s != '\0') append_unique(out, first, s);
    }
  }
  if (out.size() == first) out.emplace_back(token);  // unknown to the dictionary
}

}  // namespace triage
