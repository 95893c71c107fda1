#include "triage/screening_engine.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "test_paths.hpp"
#include "triage/caller_type.hpp"
#include "triage/content_error.hpp"
#include "triage/taxonomy.hpp"

namespace {

const std::shared_ptr<const triage::screening_engine>& engine() {
  static const auto e = triage::screening_engine::load(test_support::source_dir() / "content");
  return e;
}

std::set<std::string> categories(std::string_view text, std::string_view lang = "en") {
  std::set<std::string> out;
  for (const auto& f : engine()->screen(text, lang).flags) out.insert(f.category);
  return out;
}

bool flags(std::string_view text, const std::string& category, std::string_view lang = "en") {
  return categories(text, lang).count(category) > 0;
}

TEST(screening_engine, loads_english_spanish_and_polish) {
  EXPECT_TRUE(engine()->has_language("en"));
  EXPECT_TRUE(engine()->has_language("es"));
  EXPECT_TRUE(engine()->has_language("pl"));
  EXPECT_FALSE(engine()->has_language("xx"));
  const auto langs = engine()->languages();
  EXPECT_NE(std::find(langs.begin(), langs.end(), "pl"), langs.end());
}

TEST(screening_engine, issue_examples_of_misspelling_and_chat_spelling) {
  EXPECT_TRUE(flags("I stranglled her", "strangulation"));
  EXPECT_TRUE(flags("i chokked her", "strangulation"));
  EXPECT_TRUE(flags("I thretened to stab him", "threat_to_kill"));
  EXPECT_TRUE(flags("I thretened to stab him", "weapon"));
  EXPECT_TRUE(flags("I CHOKED HER", "strangulation"));
  EXPECT_TRUE(flags("shes dead if she leaves", "threat_to_kill"));
  EXPECT_TRUE(flags("i wont let her see her friends", "coercive_control"));
  EXPECT_TRUE(flags("i chokkkked her", "strangulation"));
}

TEST(screening_engine, patterns_allow_inflection_and_small_gaps) {
  EXPECT_TRUE(flags("choked her", "strangulation"));
  EXPECT_TRUE(flags("I put my hands round her neck", "strangulation"));
  EXPECT_TRUE(flags("I threatened to stab him", "weapon"));
  EXPECT_TRUE(flags("I said I'd kill her", "threat_to_kill"));
  EXPECT_TRUE(flags("he is strangling her", "strangulation"));
}

TEST(screening_engine, negations_and_hypotheticals_do_not_flag) {
  EXPECT_TRUE(categories("I'd never lay a finger on her").empty());
  EXPECT_TRUE(categories("no weapon was ever involved").empty());
  EXPECT_TRUE(categories("I haven't threatened anyone").empty());
  EXPECT_TRUE(categories("I would never hurt the kids").empty());
  EXPECT_TRUE(categories("I didn't choke her").empty());
  // The scope ends at a clause boundary or a new subject.
  EXPECT_TRUE(flags("I didn't choke her, I pushed her", "physical_violence"));
  EXPECT_TRUE(flags("I don't know why I hit her", "physical_violence"));
  // A negation word inside the phrase is not a negation of it.
  EXPECT_TRUE(flags("she couldn't breathe", "strangulation"));
  EXPECT_TRUE(flags("I didn't mean to choke her", "strangulation"));
  // A gap never jumps over a negation.
  EXPECT_FALSE(flags("I said I would never kill her", "threat_to_kill"));
}

// A number after "is" or "he's" is as often minutes, miles or o'clock as a child's age: a danger
// "5 minutes away" has no child in it (an advisor saw "Children at risk" on exactly this message).
TEST(screening_engine, numbers_are_not_children_unless_an_age) {
  EXPECT_FALSE(flags("i've got the hammer in my coat, her flat is 5 minutes away, leaving now", "child_harm"));
  EXPECT_FALSE(flags("hes 5 mins away with the knife", "child_harm"));
  EXPECT_TRUE(flags("i've got the hammer in my coat, her flat is 5 minutes away, leaving now", "imminent_danger"));
  EXPECT_TRUE(flags("my son aged 6 was in the room when i hit her", "child_harm"));
}

TEST(screening_engine, idioms_do_not_flag) {
  for (const char* idiom : {"my back is killing me", "I nearly choked laughing", "she cut her hair short",
                            "this job is killing me", "dying to see her", "I killed it at work today",
                            "I hit the gym after work", "I could murder a curry"}) {
    EXPECT_TRUE(categories(idiom).empty()) << idiom;
  }
  // The same words flag when they are not the idiom.
  EXPECT_TRUE(flags("he is killing her", "imminent_danger"));
  EXPECT_TRUE(flags("I cut her with a knife", "weapon"));
}

TEST(screening_engine, third_party_reports_flag) {
  EXPECT_TRUE(flags("he choked his previous partner", "strangulation"));
  EXPECT_TRUE(flags("Mum says her partner has been hitting her", "physical_violence"));
  EXPECT_TRUE(flags("The client has threatened to kill his ex", "threat_to_kill"));
}

TEST(screening_engine, flags_carry_evidence_with_original_offsets) {
  const std::string text = "Ayer él me dijo: ¡La ESTRANGULÉ!";
  const auto r = engine()->screen(text, "es");
  ASSERT_FALSE(r.flags.empty());
  const auto& f = r.flags.front();
  EXPECT_EQ(f.category, "strangulation");
  EXPECT_EQ(text.substr(f.start, f.end - f.start), "ESTRANGULÉ");
  EXPECT_EQ(f.match, "ESTRANGULÉ");
  EXPECT_NE(f.rule.find("es/patterns.tsv:"), std::string::npos);
  EXPECT_EQ(r.level, triage::risk_level::high);

  const std::string en = "Honestly... I put my hands round her NECK last night";
  const auto r2 = engine()->screen(en, "en");
  ASSERT_EQ(r2.flags.size(), 1u);
  EXPECT_EQ(r2.flags[0].match, "hands round her NECK");
  EXPECT_EQ(r2.flags[0].start, en.find("hands"));
  EXPECT_EQ(r2.flags[0].end, en.find(" last"));
  EXPECT_NE(r2.flags[0].rule.find("en/strangulation.tsv:"), std::string::npos);
}

// Every flag's offsets point into the text, and its match is the text there.
void expect_evidence_in_text(const std::string& text, const triage::screening_result& r) {
  for (const auto& f : r.flags) {
    ASSERT_LT(f.start, f.end) << text;
    ASSERT_LE(f.end, text.size()) << text;
    EXPECT_EQ(f.match, text.substr(f.start, f.end - f.start)) << text;
  }
}

std::set<std::string> categories_of(const triage::screening_result& r) {
  std::set<std::string> out;
  for (const auto& f : r.flags) out.insert(f.category);
  return out;
}

TEST(screening_engine, text_tricks_screen_like_the_plain_sentence) {
  const std::string plain = "I strangled her";
  const auto expected = engine()->screen(plain, "en");
  ASSERT_TRUE(categories_of(expected).count("strangulation"));
  ASSERT_EQ(expected.level, triage::risk_level::high);
  struct variant {
    std::string text;
    std::string word;  // how "strangled" is written: the strangulation flag must cover it
  };
  const std::vector<variant> variants{
      {"I str\u200Bangled her", "str\u200Bangled"},             // zero-width space
      {"I stran\u00ADgled her", "stran\u00ADgled"},             // soft hyphen
      {"I s\u200Dtr\u2060an\uFEFFgled her", "s\u200Dtr\u2060an\uFEFFgled"},  // joiner, word joiner, BOM
      {"I ｓｔｒａｎｇｌｅｄ her", "ｓｔｒａｎｇｌｅｄ"},          // full-width
      {"I str\u0430ngled her", "str\u0430ngled"},               // Cyrillic а
      {"I \u0455tr\u0430ngl\u0435d h\u0435r", "\u0455tr\u0430ngl\u0435d"},  // Cyrillic ѕ, а, е
      {"I 𝐬𝐭𝐫𝐚𝐧𝐠𝐥𝐞𝐝 her", "𝐬𝐭𝐫𝐚𝐧𝐠𝐥𝐞𝐝"},                  // mathematical bold
      {"I ⓢⓣⓡⓐⓝⓖⓛⓔⓓ her", "ⓢⓣⓡⓐⓝⓖⓛⓔⓓ"},                  // circled
      {"I s t r a n g l e d her", "s t r a n g l e d"},         // spaced out
      {"i s t r a n g l e d her", "s t r a n g l e d"},
      {"I S T R A N G L E D HER", "S T R A N G L E D"},
      {"I s.t.r.a.n.g.l.e.d her", "s.t.r.a.n.g.l.e.d"},
      {"I s-t-r-a-n-g-l-e-d her", "s-t-r-a-n-g-l-e-d"},
      {"I s·t·r·a·n·g·l·e·d her", "s·t·r·a·n·g·l·e·d"},
      {"I s t r \u0430 n g l e d her", "s t r \u0430 n g l e d"},  // spaced out with a Cyrillic а
  };
  for (const auto& v : variants) {
    const auto r = engine()->screen(v.text, "en");
    EXPECT_EQ(categories_of(r), categories_of(expected)) << v.text;
    EXPECT_EQ(r.level, expected.level) << v.text;
    expect_evidence_in_text(v.text, r);
    const auto at = v.text.find(v.word);
    ASSERT_NE(at, std::string::npos);
    bool covered = false;
    for (const auto& f : r.flags) {
      covered = covered || (f.category == "strangulation" && f.start <= at && at + v.word.size() <= f.end);
    }
    EXPECT_TRUE(covered) << v.text;
  }
  // The evidence is exactly the word as written, invisible characters included.
  const std::string zwsp = "I str\u200Bangled her";
  const auto r = engine()->screen(zwsp, "en");
  ASSERT_EQ(r.flags.size(), expected.flags.size());
  for (std::size_t k = 0; k < r.flags.size(); ++k) {
    EXPECT_EQ(r.flags[k].category, expected.flags[k].category);
    EXPECT_EQ(r.flags[k].rule, expected.flags[k].rule);
    if (r.flags[k].category == "strangulation") {
      EXPECT_EQ(r.flags[k].match, "str\u200Bangled");
    }
  }
}

TEST(screening_engine, spaced_out_threats_screen_like_the_plain_sentence) {
  for (const auto& [plain, tricked] : std::vector<std::pair<std::string, std::string>>{
           {"I'm going to kill her tonight", "I'm going to k-i-l-l her tonight"},
           {"I'm going to kill her tonight", "I'm going to k i l l her tonight"},
           {"I'm going to kill her tonight", "I'm going to k.i.l.l her tonight"},
           {"I'm going to kill her tonight", "I'm going to k\u0456ll her tonight"},
           {"I choked her", "I c h o k e d her"},
           {"I choked her", "I ｃｈｏｋｅｄ her"},
           {"I choked her", "I ch\u00ADoked her"},
       }) {
    const auto expected = engine()->screen(plain, "en");
    const auto r = engine()->screen(tricked, "en");
    EXPECT_FALSE(r.flags.empty()) << tricked;
    EXPECT_EQ(categories_of(r), categories_of(expected)) << tricked;
    EXPECT_EQ(r.level, expected.level) << tricked;
    expect_evidence_in_text(tricked, r);
  }
  // Ordinary single letters and other scripts do not flag.
  EXPECT_TRUE(categories("i am a man and a b c are letters").empty());
  EXPECT_TRUE(categories("I. A. M. is a band").empty());
}

TEST(screening_engine, spanish_and_polish_inflection) {
  EXPECT_TRUE(flags("amenacé con matarla", "threat_to_kill", "es"));
  EXPECT_TRUE(flags("saqué el cuchillo", "weapon", "es"));
  EXPECT_TRUE(flags("casi la ahorqué", "strangulation", "es"));
  EXPECT_TRUE(flags("dusiłem ją", "strangulation", "pl"));
  EXPECT_TRUE(flags("chciałem ją udusić", "strangulation", "pl"));
  EXPECT_TRUE(flags("uderzyłem ją", "physical_violence", "pl"));
  EXPECT_TRUE(flags("zabiję cię", "threat_to_kill", "pl"));
  EXPECT_TRUE(flags("pobilem ja", "physical_violence", "pl"));
  EXPECT_TRUE(flags("pobiłem ją", "physical_violence", "pl"));
  EXPECT_TRUE(categories("nigdy jej nie uderzyłem", "pl").empty());
  EXPECT_TRUE(categories("nunca le he pegado", "es").empty());
}

TEST(screening_engine, unknown_language_falls_back_to_english) {
  EXPECT_TRUE(flags("I choked her", "strangulation", "xx"));
  EXPECT_TRUE(flags("I choked her", "strangulation", ""));
  EXPECT_TRUE(flags("dusiłem ją", "strangulation", "pl-PL"));
}

TEST(screening_engine, levels_follow_the_taxonomy) {
  EXPECT_EQ(engine()->screen("I'm going to kill her tonight", "en").level, triage::risk_level::imminent);
  EXPECT_EQ(engine()->screen("I choked her", "en").level, triage::risk_level::high);
  EXPECT_EQ(engine()->screen("I slapped her", "en").level, triage::risk_level::medium);
  EXPECT_EQ(engine()->screen("I was drunk when it happened", "en").level, triage::risk_level::low);
  EXPECT_EQ(engine()->screen("hello, is anyone there?", "en").level, triage::risk_level::none);
  EXPECT_EQ(engine()->screen("I pushed her while she was pregnant", "en").level, triage::risk_level::high);
}

TEST(screening_engine, cues_are_reported_and_never_raise_the_level) {
  const auto r = engine()->screen("she brings it on herself, it was nothing really", "en");
  std::set<std::string> cues;
  for (const auto& c : r.cues) cues.insert(c.cue);
  EXPECT_TRUE(cues.count("partner_blame"));
  EXPECT_TRUE(cues.count("minimisation"));
  EXPECT_TRUE(r.flags.empty());
  EXPECT_EQ(r.level, triage::risk_level::none);
  for (auto cue : triage::taxonomy_cues) {
    for (const char* lang : {"en", "es", "pl"}) {
      EXPECT_FALSE(engine()->cue_responses(cue, lang).empty()) << cue << " " << lang;
    }
  }
  EXPECT_NE(engine()->cue_responses("minimisation", "es").front().text,
            engine()->cue_responses("minimisation", "en").front().text);
  EXPECT_EQ(engine()->cue_responses("minimisation", "xx").front().text,
            engine()->cue_responses("minimisation", "en").front().text);
  EXPECT_TRUE(engine()->cue_responses("not_a_cue", "en").empty());
}

TEST(screening_engine, cue_responses_fit_every_caller_type_and_assume_no_gender) {
  // A social worker relaying a client's words is not offered lines addressed to the person using
  // abuse; every caller type has its own, and none assumes the partner is a woman.
  for (auto cue : triage::taxonomy_cues) {
    for (const char* lang : {"en", "es", "pl"}) {
      for (auto type : triage::caller_type_ids) {
        bool any = false, without_quote = false;
        for (const auto& r : engine()->cue_responses(cue, lang)) {
          if (std::find(r.caller_types.begin(), r.caller_types.end(), type) == r.caller_types.end()) continue;
          any = true;
          without_quote = without_quote || r.text.find("{quote}") == std::string::npos;
        }
        EXPECT_TRUE(any) << cue << " " << lang << " " << type;
        EXPECT_TRUE(without_quote) << cue << " " << lang << " " << type << ": one that needs no quotation";
      }
    }
    for (const auto& r : engine()->cue_responses(cue, "en")) {
      EXPECT_FALSE(r.caller_types.empty()) << r.text;
      for (const char* gendered : {" she ", " her ", " her?", " he ", " him ", " his "}) {
        EXPECT_EQ((" " + r.text + " ").find(gendered), std::string::npos) << r.text;
      }
    }
  }
}

TEST(screening_engine, category_info_in_language_with_english_fallback) {
  const auto pl = engine()->category("strangulation", "pl");
  ASSERT_TRUE(pl);
  EXPECT_EQ(pl->severity, triage::risk_level::high);
  EXPECT_EQ(pl->label, "Duszenie");
  const auto xx = engine()->category("strangulation", "xx");
  ASSERT_TRUE(xx);
  EXPECT_EQ(xx->label, "Strangulation or choking");
  EXPECT_FALSE(engine()->category("not_a_category", "en"));
  for (const auto& c : triage::taxonomy_categories) EXPECT_TRUE(engine()->category(c.id, "en")) << c.id;
}

TEST(screening_engine, invalid_utf8_and_odd_input_do_not_crash) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>((i * 7919) & 0xFF));
  const auto r = engine()->screen(junk, "en");
  for (const auto& f : r.flags) EXPECT_LE(f.end, junk.size());
  EXPECT_TRUE(engine()->screen("", "en").flags.empty());
  EXPECT_TRUE(flags(std::string("I choked\xC3her"), "strangulation"));
  const std::string nul("choked\0her", 10);
  EXPECT_TRUE(flags(nul, "strangulation"));
}

TEST(screening_engine, concurrent_screening_gives_the_same_results) {
  const std::string text = "I put my hands round her neck and said I'd kill her, she's pregnant";
  const auto expected = engine()->screen(text, "en");
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        const auto r = engine()->screen(i % 2 ? text : "dusiłem ją", i % 2 ? "en" : "pl");
        if (i % 2 && (r.flags.size() != expected.flags.size() || r.level != expected.level)) ++mismatches;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
