#include "triage/lemmatiser.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <iterator>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "triage/content_error.hpp"
#include "triage/text_normaliser.hpp"
#include "triage_scratch_dir.hpp"

// Counts the allocations a thread makes while `counting` is set, to check that a cache hit
// allocates nothing. Replacing the global operator new is allowed once per program; no other
// test file does.
namespace {
thread_local bool counting = false;
thread_local std::size_t allocations = 0;
}  // namespace

// The nothrow forms are replaced too (std::stable_sort's temporary buffer uses them): otherwise
// they stay the runtime's, and AddressSanitizer rightly reports their memory freed by free().
void* operator new(std::size_t size) {
  if (counting) ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  if (counting) ++allocations;
  return std::malloc(size == 0 ? 1 : size);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace {

using triage::lemmatiser;

const triage::text_normaliser& normaliser() {
  static const triage::text_normaliser n;
  return n;
}

std::string fold(std::string_view word) {
  const auto words = normaliser().normalise_words(word);
  EXPECT_EQ(words.size(), 1u) << word;
  return words.empty() ? std::string() : words[0];
}

// Dictionaries take up to a second to load: each spec is loaded once for the whole suite. The
// load time is kept for the report.
struct loaded {
  std::unique_ptr<lemmatiser> l;
  double load_ms = 0;
};
const loaded& shared(const std::string& spec) {
  static std::map<std::string, loaded> all;
  auto it = all.find(spec);
  if (it == all.end()) {
    const auto start = std::chrono::steady_clock::now();
    loaded x;
    x.l = lemmatiser::create(spec);
    x.load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    it = all.emplace(spec, std::move(x)).first;
  }
  return it->second;
}

std::vector<std::string> lemmas_of(const lemmatiser& l, std::string_view word) {
  std::vector<std::string> out;
  l.lemmas(fold(word), out);
  return out;
}

bool has(const std::vector<std::string>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string message_of(std::string_view spec, const std::filesystem::path& dir = "/usr/share/hunspell") {
  try {
    lemmatiser::create(spec, dir);
  } catch (const triage::content_error& e) {
    return e.what();
  }
  return "(no error)";
}

// ---------------------------------------------------------------- behaviour

TEST(lemmatiser, inflected_forms_share_the_key_of_their_lemma) {
  const auto& en = *shared("snowball:english").l;
  EXPECT_EQ(lemmas_of(en, "strangling"), lemmas_of(en, "strangle"));
  EXPECT_EQ(lemmas_of(en, "Strangled"), lemmas_of(en, "strangle"));

  const auto& en_h = *shared("hunspell:en_GB").l;
  EXPECT_EQ(lemmas_of(en_h, "strangling"), std::vector<std::string>{"strangle"});
  EXPECT_EQ(lemmas_of(en_h, "kids"), std::vector<std::string>{"kid"});

  const auto& es = *shared("hunspell:es_ES").l;
  EXPECT_TRUE(has(lemmas_of(es, "estrangulé"), "estrangular"));
  EXPECT_TRUE(has(lemmas_of(es, "estrangule"), "estrangular"));  // typed without the accent
  EXPECT_TRUE(has(lemmas_of(es, "matarla"), "matar"));
  EXPECT_TRUE(has(lemmas_of(es, "pegarle"), "pegar"));
}

TEST(lemmatiser, polish_forms_typed_without_diacritics_reach_the_folded_lemma) {
  const auto& pl = *shared("hunspell:pl_PL").l;
  const std::string key = fold("dusić");
  EXPECT_EQ(key, "dusic");
  EXPECT_EQ(lemmas_of(pl, "dusić"), std::vector<std::string>{key});  // the lexicon entry's key
  EXPECT_TRUE(has(lemmas_of(pl, "dusiłem"), key));
  EXPECT_TRUE(has(lemmas_of(pl, "dusilem"), key));
  EXPECT_TRUE(has(lemmas_of(pl, "zabije"), "zabic"));
  EXPECT_TRUE(has(lemmas_of(pl, "pobilem"), "pobic"));
  EXPECT_TRUE(has(lemmas_of(pl, "ja"), "ja"));  // "pobilem ja": "ją" folds to the pronoun "ja"
}

TEST(lemmatiser, unknown_words_are_their_own_lemma) {
  for (const char* spec : {"hunspell:pl_PL", "hunspell:en_GB", "none"}) {
    const auto& l = *shared(spec).l;
    EXPECT_EQ(lemmas_of(l, "xqzvwk"), std::vector<std::string>{"xqzvwk"}) << spec;
  }
  std::vector<std::string> out;
  shared("hunspell:en_GB").l->lemmas(std::string(300, 'a'), out);  // past Hunspell's word limit
  EXPECT_EQ(out, std::vector<std::string>{std::string(300, 'a')});
}

TEST(lemmatiser, none_returns_the_token_and_appends) {
  const auto l = lemmatiser::create("none");
  std::vector<std::string> out{"kept"};
  l->lemmas("strangling", out);
  EXPECT_EQ(out, (std::vector<std::string>{"kept", "strangling"}));
  EXPECT_EQ(l->spec(), "none");
}

TEST(lemmatiser, bad_specs_and_missing_dictionaries_are_content_errors) {
  EXPECT_EQ(message_of("stemmer"),
            "lemmatiser: unknown spec 'stemmer' (expected none, snowball:<algorithm> or hunspell:<dictionary>)");
  EXPECT_NE(message_of("").find("lemmatiser: unknown spec ''"), std::string::npos);
  // libstemmer has no Polish: the message lists what it has.
  const auto polish = message_of("snowball:polish");
  EXPECT_NE(polish.find("unknown Snowball algorithm"), std::string::npos) << polish;
  EXPECT_NE(polish.find("english"), std::string::npos) << polish;
  EXPECT_NE(message_of("snowball:").find("unknown Snowball algorithm"), std::string::npos);
  // A missing dictionary names the file it looked for.
  const auto missing = message_of("hunspell:xx_XX");
  EXPECT_NE(missing.find("/usr/share/hunspell/xx_XX.aff"), std::string::npos) << missing;
  EXPECT_NE(missing.find("not found"), std::string::npos) << missing;
  triage_test::scratch_dir dir;
  EXPECT_NE(message_of("hunspell:en_GB", dir.path()).find((dir.path() / "en_GB.aff").string()),
            std::string::npos);
  // A dictionary name is never a path.
  EXPECT_NE(message_of("hunspell:../hunspell/en_GB").find("needs a dictionary name"), std::string::npos);
  EXPECT_NE(message_of("hunspell:").find("needs a dictionary name"), std::string::npos);
}

// An 8-bit dictionary in the Hunspell format, as pl_PL is: the folded copy is converted to UTF-8,
// its words and affix rules folded, and removed once loaded.
// An 8-bit test dictionary in the Hunspell format (as pl_PL is), named xx_PL.
// ISO8859-2: \xB3 = ł, \xE6 = ć, \xB1 = ą, \xEA = ę, \xBF = ż.
void write_xx_pl(const triage_test::scratch_dir& dir) {
  dir.write("xx_PL.aff",
            "SET ISO8859-2\n"
            "SFX A Y 3\n"
            "SFX A \xE6 \xB3""em i\xE6\n"      // dusić -> dusiłem
            "SFX A \xE6 \xB3""a [^\xB1]i\xE6\n"  // dusić -> dusiła, unless "ąić" (none are)
            "SFX A \xE6 \xEA [cd]i\xE6\n"      // never applies to dusić
            "SFX \xBF N 1\n"                  // a flag above 0x7F stays one flag
            "SFX \xBF 0 y .\n");
  dir.write("xx_PL.dic", "3\ndusi\xE6/A\nbia\xB3/\xBF\nReino Unido\n");
}

// Sets an environment variable for one scope.
class scoped_env {
 public:
  scoped_env(const char* name, const std::string& value) : name_(name) {
    const char* old = std::getenv(name);
    had_ = old != nullptr;
    if (had_) old_ = old;
    ::setenv(name, value.c_str(), 1);
  }
  ~scoped_env() { had_ ? ::setenv(name_, old_.c_str(), 1) : ::unsetenv(name_); }
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;

 private:
  const char* name_;
  bool had_ = false;
  std::string old_;
};

// An 8-bit dictionary in the Hunspell format, as pl_PL is: the folded copy is converted to UTF-8,
// its words and affix rules folded, and removed once loaded.
TEST(lemmatiser, folds_an_8bit_dictionary_and_removes_the_copy) {
  triage_test::scratch_dir dir;
  write_xx_pl(dir);
  const scoped_env cache("HELPLINE_CACHE_DIR", (dir.path() / "cache").string());
  const auto tmp = dir.path() / "tmp";
  std::filesystem::create_directories(tmp);
  std::unique_ptr<lemmatiser> l;
  {
    const scoped_env tmpdir("TMPDIR", tmp.string());
    l = lemmatiser::create("hunspell:xx_PL", dir.path());
  }
  EXPECT_TRUE(std::filesystem::is_empty(tmp)) << "the folded copy is removed once loaded";

  EXPECT_EQ(lemmas_of(*l, "dusiłem"), std::vector<std::string>{"dusic"});
  EXPECT_EQ(lemmas_of(*l, "dusilem"), std::vector<std::string>{"dusic"});
  EXPECT_EQ(lemmas_of(*l, "DUSIŁA"), std::vector<std::string>{"dusic"});
  EXPECT_EQ(lemmas_of(*l, "dusić"), std::vector<std::string>{"dusic"});
  EXPECT_EQ(lemmas_of(*l, "dusie"), std::vector<std::string>{"dusie"});  // condition [cd]ić unmet
  EXPECT_EQ(lemmas_of(*l, "biały"), std::vector<std::string>{"bial"});
  EXPECT_EQ(lemmas_of(*l, "reino"), std::vector<std::string>{"reino"});  // multi-word entry left out
}

// The folded copy is kept in the user's cache folder and reused by the next load (folding is the
// larger part of a load); a changed dictionary gets a new copy; an unusable folder only means no
// cache.
TEST(lemmatiser, folded_copies_are_cached_between_loads_and_renewed_when_the_dictionary_changes) {
  namespace fs = std::filesystem;
  triage_test::scratch_dir dir;
  write_xx_pl(dir);
  const auto cache_dir = dir.path() / "cache";
  const scoped_env cache("HELPLINE_CACHE_DIR", cache_dir.string());
  const auto cached = [&](const std::string& ext) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(cache_dir)) {
      if (e.path().extension() == ext) files.push_back(e.path());
    }
    return files;
  };

  auto first = lemmatiser::create("hunspell:xx_PL", dir.path());
  ASSERT_EQ(cached(".aff").size(), 1U);
  ASSERT_EQ(cached(".dic").size(), 1U);
  EXPECT_EQ(fs::status(cache_dir).permissions() & fs::perms::all, fs::perms::owner_all);
  EXPECT_EQ(lemmas_of(*first, "dusilem"), std::vector<std::string>{"dusic"});

  // The second load reads the cached copy: a word added to the copy alone is known to it.
  const fs::path copy = cached(".dic").front();
  {
    std::ofstream out(copy, std::ios::app | std::ios::binary);
    out << "kopic/A\n";  // as folded: "kopić", flag A gives "kopiłem"
  }
  auto second = lemmatiser::create("hunspell:xx_PL", dir.path());
  EXPECT_EQ(lemmas_of(*second, "dusilem"), std::vector<std::string>{"dusic"});
  EXPECT_EQ(lemmas_of(*second, "kopilem"), std::vector<std::string>{"kopic"})
      << "the second load did not use the cached copy";

  // A new version of the dictionary is folded again; the stale copy is removed.
  dir.write("xx_PL.dic", "2\ndusi\xE6/A\nkosi\xE6/A\n");
  auto third = lemmatiser::create("hunspell:xx_PL", dir.path());
  EXPECT_EQ(lemmas_of(*third, "kopilem"), std::vector<std::string>{"kopilem"});
  EXPECT_EQ(lemmas_of(*third, "kosilem"), std::vector<std::string>{"kosic"});
  EXPECT_FALSE(fs::exists(copy));
  EXPECT_EQ(cached(".dic").size(), 1U);

  // A cache folder that cannot be made (a file is in the way) still loads, without caching.
  const auto blocked = dir.write("blocked", "not a folder");
  const scoped_env no_cache("HELPLINE_CACHE_DIR", blocked.string());
  auto uncached = lemmatiser::create("hunspell:xx_PL", dir.path());
  EXPECT_EQ(lemmas_of(*uncached, "dusilem"), std::vector<std::string>{"dusic"});
}

TEST(lemmatiser, a_dictionary_without_set_line_is_latin1) {
  triage_test::scratch_dir dir;
  dir.write("xx.aff", "SFX A Y 1\nSFX A 0 s .\n");
  dir.write("xx.dic", "1\ncaf\xE9/A\n");  // "café" in ISO8859-1, Hunspell's default
  const auto l = lemmatiser::create("hunspell:xx", dir.path());
  EXPECT_EQ(lemmas_of(*l, "cafés"), std::vector<std::string>{"cafe"});
  EXPECT_EQ(lemmas_of(*l, "cafes"), std::vector<std::string>{"cafe"});
}

TEST(lemmatiser, unknown_dictionary_encoding_is_a_content_error) {
  triage_test::scratch_dir dir;
  dir.write("xx.aff", "SET KLINGON-8\n");
  dir.write("xx.dic", "1\nword\n");
  const auto m = message_of("hunspell:xx", dir.path());
  EXPECT_NE(m.find("unknown dictionary encoding 'KLINGON-8'"), std::string::npos) << m;
}

TEST(lemmatiser, cached_results_equal_the_analyser_even_when_the_cache_is_full) {
  const auto& l = *shared("hunspell:en_GB").l;
  std::vector<std::string> tokens;
  for (const char* w : {"strangling", "kids", "threatened", "xqzvwk", "knives"}) tokens.push_back(w);
  for (int i = 0; i < 6000; ++i) tokens.push_back("word" + std::to_string(i) + "ing");  // > 2048 entries
  for (int pass = 0; pass < 3; ++pass) {
    for (const auto& t : tokens) {
      std::vector<std::string> cached;
      std::vector<std::string> direct;
      l.lemmas(t, cached);
      l.analyse(t, direct);
      ASSERT_EQ(cached, direct) << t << " pass " << pass;
    }
  }
}

TEST(lemmatiser, a_cache_hit_allocates_nothing) {
  const auto& l = *shared("hunspell:pl_PL").l;
  std::vector<std::string> out;
  out.reserve(8);
  l.lemmas("dusilem", out);  // miss: analysed and stored
  out.clear();
  counting = true;
  allocations = 0;
  l.lemmas("dusilem", out);
  counting = false;
  EXPECT_EQ(out, std::vector<std::string>{"dusic"});
  EXPECT_EQ(allocations, 0u);
}

TEST(lemmatiser, many_lemmatisers_in_one_thread_and_many_threads_on_one_lemmatiser) {
  // More lemmatisers than a thread keeps state for (8): the oldest state is dropped and rebuilt.
  std::vector<std::unique_ptr<lemmatiser>> many;
  for (int i = 0; i < 12; ++i) many.push_back(lemmatiser::create(i % 2 ? "snowball:english" : "snowball:spanish"));
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < many.size(); ++i) {
      std::vector<std::string> out;
      many[i]->lemmas(i % 2 ? "strangling" : "estrangulando", out);
      ASSERT_EQ(out, std::vector<std::string>{i % 2 ? "strangl" : "estrangul"}) << i;
    }
  }
  // Threads share one Hunspell lemmatiser (its analyser behind a lock, a cache each).
  const auto& pl = *shared("hunspell:pl_PL").l;
  const std::vector<std::string> words{"dusilem", "zabije", "pobilem", "nozem", "dzieci", "uciekla", "xqzvwk"};
  std::vector<std::vector<std::string>> expected;
  for (const auto& w : words) {
    expected.emplace_back();
    pl.analyse(w, expected.back());
  }
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 2000; ++i) {
        std::vector<std::string> out;
        const auto k = static_cast<std::size_t>(i) % words.size();
        pl.lemmas(words[k], out);
        if (out != expected[k]) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

// ---------------------------------------------------------------- measurement

struct form {
  std::size_t line = 0;
  std::string surface;  // as written in the file
  std::string token;    // normalised
  std::string lemma;    // normalised
};

std::vector<form> read_forms(const std::string& lang) {
  const auto file = std::filesystem::path(HELPLINE_SOURCE_DIR) / "tests/triage/lemmatiser" / (lang + "_forms.tsv");
  std::ifstream in(file);
  EXPECT_TRUE(in) << file;
  std::vector<form> forms;
  std::string line;
  for (std::size_t number = 1; std::getline(in, line); ++number) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    EXPECT_NE(tab, std::string::npos) << file << ":" << number;
    if (tab == std::string::npos) continue;
    form f;
    f.line = number;
    f.surface = line.substr(0, tab);
    f.token = fold(f.surface);
    f.lemma = fold(line.substr(tab + 1));
    forms.push_back(std::move(f));
  }
  return forms;
}

struct measurement {
  std::size_t right = 0;
  std::size_t total = 0;
  double cold_ns = 0;  // per token, analyser alone
  double warm_ns = 0;  // per token, every token already cached
  std::vector<std::string> misses;
  // Distinct expected lemmas that share a key ("bić" and "pobić" must not): what a backend merges
  // that a lexicon keeps apart.
  std::vector<std::string> merged;
  double accuracy() const { return total == 0 ? 0 : static_cast<double>(right) / static_cast<double>(total); }
};

measurement measure(const lemmatiser& l, const std::vector<form>& forms) {
  measurement m;
  std::vector<std::string> keys;
  std::vector<std::string> lemma_keys;
  for (const auto& f : forms) {
    keys.clear();
    lemma_keys.clear();
    l.lemmas(f.token, keys);
    l.lemmas(f.lemma, lemma_keys);
    const bool right = std::any_of(keys.begin(), keys.end(), [&](const std::string& k) { return has(lemma_keys, k); });
    ++m.total;
    if (right) {
      ++m.right;
    } else {
      std::string got;
      for (const auto& k : keys) got += (got.empty() ? "" : "|") + k;
      m.misses.push_back(f.surface + "->" + got);
    }
  }
  std::map<std::string, std::vector<std::string>> lemma_keys_of;
  for (const auto& f : forms) {
    if (lemma_keys_of.count(f.lemma) == 0) l.lemmas(f.lemma, lemma_keys_of[f.lemma]);
  }
  for (auto a = lemma_keys_of.begin(); a != lemma_keys_of.end(); ++a) {
    for (auto b = std::next(a); b != lemma_keys_of.end(); ++b) {
      const bool shared_key = std::any_of(a->second.begin(), a->second.end(),
                                          [&](const std::string& k) { return has(b->second, k); });
      if (shared_key) m.merged.push_back(a->first + "=" + b->first);
    }
  }
  // Timings are the fastest of several rounds: the machine is shared, and the fastest round is
  // the one least disturbed by other work.
  using clock = std::chrono::steady_clock;
  const auto per_token = [&](int passes, auto&& call) {
    double best = 1e300;
    for (int round = 0; round < 7; ++round) {
      const auto start = clock::now();
      for (int p = 0; p < passes; ++p) {
        for (const auto& f : forms) {
          keys.clear();
          call(f.token);
        }
      }
      const double ns = std::chrono::duration<double, std::nano>(clock::now() - start).count();
      best = std::min(best, ns / (passes * static_cast<double>(forms.size())));
    }
    return best;
  };
  // Cold: the analyser on every token (what a word new to this thread costs).
  m.cold_ns = per_token(1, [&](const std::string& t) { l.analyse(t, keys); });
  // Warm: the cache already holds every token (the accuracy pass above filled it).
  m.warm_ns = per_token(20, [&](const std::string& t) { l.lemmas(t, keys); });
  return m;
}

struct language {
  std::string code;
  std::vector<std::string> specs;  // every backend available for it
  std::string chosen;              // the one the language pack should use
  double floor;                    // accuracy the chosen backend must reach (measured, minus a margin)
};

// Measured on this machine (see docs/screening.md, "Lemmatiser choice (measured)"). The floors
// sit a few points under the measured accuracy: a dictionary or algorithm upgrade that loses
// forms fails here, and one that gains them means raising the floor.
const std::vector<language> languages{
    {"en", {"none", "snowball:english", "hunspell:en_GB"}, "snowball:english", 0.78},  // 81.9%
    {"es", {"none", "snowball:spanish", "hunspell:es_ES"}, "hunspell:es_ES", 0.90},    // 93.7%
    {"pl", {"none", "hunspell:pl_PL"}, "hunspell:pl_PL", 0.87},                        // 90.8%
};

TEST(lemmatiser, measured_accuracy_and_speed_per_language) {
  const bool show_misses = std::getenv("HELPLINE_LEMMATISER_MISSES") != nullptr;
  for (const auto& lang : languages) {
    const auto forms = read_forms(lang.code);
    ASSERT_GE(forms.size(), 150u) << lang.code;
    std::map<std::string, double> accuracy;
    for (const auto& spec : lang.specs) {
      const auto& x = shared(spec);
      const auto m = measure(*x.l, forms);
      std::printf("[ lemmas   ] %s %-17s accuracy %5.1f%% (%3zu/%3zu)  merged lemmas %zu  "
                  "cold %6.0f ns/token  warm %3.0f ns/token  load %4.0f ms\n",
                  lang.code.c_str(), spec.c_str(), 100 * m.accuracy(), m.right, m.total, m.merged.size(),
                  m.cold_ns, m.warm_ns, x.load_ms);
      if (show_misses) {
        for (const auto& miss : m.misses) std::printf("               miss %s\n", miss.c_str());
        for (const auto& merge : m.merged) std::printf("               merged %s\n", merge.c_str());
      }
      accuracy[spec] = m.accuracy();
    }
    const double chosen = accuracy[lang.chosen];
    EXPECT_GE(chosen, lang.floor) << lang.code << " " << lang.chosen;
    // The choice rests on the chosen backend being the most accurate: if a dictionary or
    // libstemmer upgrade changes that, measure again and update docs/screening.md.
    for (const auto& [spec, a] : accuracy) {
      EXPECT_GE(chosen, a) << lang.code << ": " << spec << " now beats " << lang.chosen;
    }
  }
}

}  // namespace
