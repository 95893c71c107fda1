// Screens the labelled development corpus (tests/triage/corpus/screening_corpus.jsonl) and prints
// per-category recall and precision and the false-alarm rate on benign messages. Fails below the
// quality bar: recall 1.0 for imminent_danger, >= 0.98 for each other high category, benign false
// alarms <= 3%.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "test_paths.hpp"
#include "triage/screening_engine.hpp"
#include "triage/taxonomy.hpp"

namespace {

struct labelled {
  std::string text, lang;
  std::set<std::string> categories, cues;
};

std::vector<labelled> read_corpus() {
  std::ifstream in(test_support::source_dir() / "tests/triage/corpus/screening_corpus.jsonl");
  std::vector<labelled> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto doc = boost::json::parse(line).as_object();
    labelled l;
    l.text = std::string(doc.at("text").as_string());
    l.lang = std::string(doc.at("lang").as_string());
    for (const auto& c : doc.at("categories").as_array()) l.categories.emplace(c.as_string());
    if (doc.contains("cues")) {
      for (const auto& c : doc.at("cues").as_array()) l.cues.emplace(c.as_string());
    }
    out.push_back(std::move(l));
  }
  return out;
}

struct counts {
  int tp = 0, fp = 0, fn = 0;
  double recall() const { return tp + fn == 0 ? 1.0 : static_cast<double>(tp) / (tp + fn); }
  double precision() const { return tp + fp == 0 ? 1.0 : static_cast<double>(tp) / (tp + fp); }
};

TEST(screening_corpus, meets_the_quality_bar) {
  const auto engine = triage::screening_engine::load(test_support::source_dir() / "content");
  const auto corpus = read_corpus();
  ASSERT_GE(corpus.size(), 300u);
  std::map<std::string, int> per_lang;
  for (const auto& l : corpus) ++per_lang[l.lang];
  EXPECT_GT(per_lang["es"], 0);
  EXPECT_GT(per_lang["pl"], 0);

  std::map<std::string, counts> by_category, by_cue;
  int benign = 0, benign_flagged = 0;
  for (const auto& l : corpus) {
    const auto r = engine->screen(l.text, l.lang);
    std::set<std::string> found, found_cues;
    for (const auto& f : r.flags) found.insert(f.category);
    for (const auto& c : r.cues) found_cues.insert(c.cue);
    for (const auto& c : triage::taxonomy_categories) {
      const std::string id(c.id);
      const bool want = l.categories.count(id) > 0, got = found.count(id) > 0;
      if (want && got) ++by_category[id].tp;
      if (!want && got) ++by_category[id].fp;
      if (want && !got) ++by_category[id].fn;
      if (want != got) {
        std::string rule;
        for (const auto& f : r.flags) {
          if (f.category == id) rule = "  <- " + f.rule;
        }
        std::printf("  %s %-17s [%s] %s%s\n", want ? "MISSED" : "EXTRA ", id.c_str(), l.lang.c_str(), l.text.c_str(), rule.c_str());
      }
    }
    for (auto cue : triage::taxonomy_cues) {
      const std::string id(cue);
      const bool want = l.cues.count(id) > 0, got = found_cues.count(id) > 0;
      if (want && got) ++by_cue[id].tp;
      if (!want && got) ++by_cue[id].fp;
      if (want && !got) ++by_cue[id].fn;
    }
    if (l.categories.empty()) {
      ++benign;
      if (!found.empty()) ++benign_flagged;
    }
  }

  std::printf("\n%-18s %6s %6s %9s %9s\n", "category", "tp", "fn+fp", "recall", "precision");
  for (const auto& c : triage::taxonomy_categories) {
    const auto& k = by_category[std::string(c.id)];
    std::printf("%-18s %6d %3d+%-3d %9.3f %9.3f\n", std::string(c.id).c_str(), k.tp, k.fn, k.fp, k.recall(), k.precision());
  }
  for (auto cue : triage::taxonomy_cues) {
    const auto& k = by_cue[std::string(cue)];
    std::printf("cue %-14s %6d %3d+%-3d %9.3f %9.3f\n", std::string(cue).c_str(), k.tp, k.fn, k.fp, k.recall(), k.precision());
  }
  const double false_alarm = benign == 0 ? 0.0 : static_cast<double>(benign_flagged) / benign;
  std::printf("benign messages: %d, flagged: %d, false-alarm rate %.3f\n", benign, benign_flagged, false_alarm);

  ASSERT_GE(benign, 100);
  EXPECT_LE(false_alarm, 0.03);
  for (const auto& c : triage::taxonomy_categories) {
    const auto& k = by_category[std::string(c.id)];
    EXPECT_GT(k.tp + k.fn, 0) << c.id << " has no labelled example";
    if (c.severity == triage::risk_level::imminent) {
      EXPECT_EQ(k.recall(), 1.0) << c.id;
    } else if (c.severity == triage::risk_level::high) {
      EXPECT_GE(k.recall(), 0.98) << c.id;
    }
  }
}

}  // namespace
