// The learned layer of screening (docs/screening.md, "The learned layer"): a fastText model that adds categories
// the content rules miss, never removes one; its files are validated with clear errors; and the
// model the build trains from the development corpus adds recall without adding false alarms.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "test_paths.hpp"
#include "triage/content_error.hpp"
#include "triage/corpus_evaluation.hpp"
#include "triage/learned_classifier.hpp"
#include "triage/model_training.hpp"
#include "triage/screening_engine.hpp"
#include "triage/taxonomy.hpp"
#include "triage_scratch_dir.hpp"

namespace {

namespace fs = std::filesystem;

// A made-up verb no content rule knows, used for strangulation in a tiny corpus.
std::string tiny_corpus() {
  const char* risk[] = {
      "he zorvacked me again last night",
      "she zorvacks him every time they argue",
      "my partner zorvacked me until i could not breathe properly",
      "i zorvacked her when she came home late",
      "he zorvacked our daughter's mum in the kitchen",
      "last week he zorvacked me twice",
      "when he is angry he zorvacks me",
      "she says i zorvacked her on saturday",
      "my boyfriend zorvacks me in bed at night",
      "he has zorvacked two previous partners",
      "i keep zorvacking my wife and i need to stop",
      "he zorvacked me against the wall",
      "the client zorvacked his girlfriend again",
      "my son in law zorvacks my daughter",
      "he zorvacked me so hard",
      "im scared because he zorvacked me yesterday",
  };
  const char* benign[] = {
      "we went to the park with the kids today",
      "i am looking for advice about parenting courses",
      "what time are you open on sundays",
      "my sister wants to know about the programme",
      "work has been busy this week",
      "can i call back tomorrow morning",
      "i watched a film last night and went to bed",
      "thank you for listening to me",
      "how long does the course last",
      "is there a group near manchester",
      "i would like to talk to someone about my anger",
      "we are trying to communicate better",
      "the weather is awful here",
      "my dog needs a walk",
      "do you have leaflets in spanish",
      "i finished my shift at six",
  };
  std::string out;
  int n = 0;
  for (const char* t : risk) {
    out += R"({"id":"r)" + std::to_string(++n) + R"(","lang":"en","text":")" + t + R"(","categories":["strangulation"]})" "\n";
  }
  for (const char* t : benign) {
    out += R"({"id":"b)" + std::to_string(++n) + R"(","lang":"en","text":")" + t + R"(","categories":[]})" "\n";
  }
  return out;
}

// Trains the tiny model into dir/tiny.bin (every category at 0.5, no cross-validation).
fs::path train_tiny(const triage_test::scratch_dir& dir, int folds = 0, bool quantize = false) {
  triage::model_training_options o;
  o.corpus = {dir.write("corpus/tiny.jsonl", tiny_corpus())};
  o.model_file = dir.path() / (quantize ? "tiny.ftz" : "tiny.bin");
  o.folds = folds;
  o.fixed_threshold = 0.5;
  o.bucket = 5000;
  o.epoch = 50;
  o.quantize = quantize;
  triage::train_screening_model(o);
  return o.model_file;
}

std::shared_ptr<const triage::screening_engine> engine_with(const fs::path& model) {
  triage::screening_options options;
  options.model_file = model;
  return triage::screening_engine::load(test_support::source_dir() / "content", options);
}

std::shared_ptr<const triage::screening_engine> rules_only_engine() {
  static const auto engine = triage::screening_engine::load(test_support::source_dir() / "content");
  return engine;
}

std::string error_of(const fs::path& model) {
  try {
    triage::learned_classifier::load(model);
  } catch (const triage::content_error& e) {
    return e.what();
  }
  return "";
}

std::string read(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string without_comments(const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != '#') out += line + "\n";
  }
  return out;
}

TEST(learned_classifier, adds_a_category_the_rules_miss) {
  triage_test::scratch_dir dir;
  const auto model = train_tiny(dir);
  EXPECT_TRUE(fs::exists(triage::learned_classifier::thresholds_file(model)));
  EXPECT_EQ(triage::learned_classifier::thresholds_file(model).filename(), "tiny.thresholds.tsv");
  const auto engine = engine_with(model);
  ASSERT_TRUE(engine->has_model());
  EXPECT_FALSE(rules_only_engine()->has_model());

  const std::string text = "He ZORVACKED me again on Friday.";
  ASSERT_TRUE(rules_only_engine()->screen(text, "en").flags.empty()) << "the rules must miss the made-up word";
  const auto r = engine->screen(text, "en");
  ASSERT_EQ(r.flags.size(), 1u);
  const auto& f = r.flags[0];
  EXPECT_EQ(f.category, "strangulation");
  EXPECT_EQ(f.source, triage::flag_source::model);
  EXPECT_GE(f.score, 0.5);
  EXPECT_LE(f.score, 1.0);
  EXPECT_EQ(f.start, 0u);
  EXPECT_EQ(f.end, text.size());
  EXPECT_EQ(f.match, "");
  EXPECT_TRUE(f.evidence.empty());
  EXPECT_EQ(f.rule.rfind("model:tiny.bin p=", 0), 0u) << f.rule;
  EXPECT_EQ(f.reason, "similar to known disclosures of strangulation or choking");
  EXPECT_EQ(r.level, triage::risk_level::high);

  // Accents and case are normalised as screening does; a benign message stays benign.
  EXPECT_EQ(engine->screen("zórvácked me", "en").flags.size(), 1u);
  EXPECT_TRUE(engine->screen("we went to the park today", "en").flags.empty());
  EXPECT_TRUE(engine->screen("", "en").flags.empty());
  EXPECT_TRUE(engine->screen("!!! ...", "en").flags.empty());

  // In a conversation too, and it carries the category on like any flag.
  const auto c = engine->screen_in_conversation(text, "en", {});
  ASSERT_EQ(c.flags.size(), 1u);
  EXPECT_EQ(c.flags[0].source, triage::flag_source::model);
}

TEST(learned_classifier, a_quantised_model_works_alike) {
  triage_test::scratch_dir dir;
  const auto model = train_tiny(dir, 0, true);
  EXPECT_EQ(model.filename(), "tiny.ftz");
  EXPECT_TRUE(fs::exists(dir.path() / "tiny.thresholds.tsv"));
  const auto r = engine_with(model)->screen("he zorvacked me again", "en");
  ASSERT_EQ(r.flags.size(), 1u);
  EXPECT_EQ(r.flags[0].category, "strangulation");
  EXPECT_EQ(r.flags[0].rule.rfind("model:tiny.ftz p=", 0), 0u) << r.flags[0].rule;
}

TEST(learned_classifier, never_removes_or_repeats_what_the_rules_found) {
  triage_test::scratch_dir dir;
  const auto engine = engine_with(train_tiny(dir));
  for (const std::string text : {"he choked me and zorvacked me", "he zorvacked me then held a knife to my throat",
                                 "He punched me in the face last night", "I grabbed her by the throat",
                                 "if she leaves me i will kill her"}) {
    SCOPED_TRACE(text);
    const auto rules = rules_only_engine()->screen(text, "en");
    const auto with = engine->screen(text, "en");
    EXPECT_GE(with.level, rules.level);
    std::set<std::string> rule_categories;
    for (const auto& f : rules.flags) {
      rule_categories.insert(f.category);
      const bool kept = std::any_of(with.flags.begin(), with.flags.end(), [&](const triage::risk_flag& g) {
        return g.category == f.category && g.rule == f.rule && g.source == f.source && g.start == f.start;
      });
      EXPECT_TRUE(kept) << f.category << " " << f.rule;
    }
    for (const auto& g : with.flags) {
      if (g.source != triage::flag_source::model) continue;
      EXPECT_FALSE(rule_categories.count(g.category)) << "model repeats " << g.category;
    }
    std::set<std::string> categories;
    for (const auto& g : with.flags) {
      if (g.source == triage::flag_source::model) {
        EXPECT_TRUE(categories.insert(g.category).second) << g.category;
      }
    }
  }
  // Rules found strangulation; the model, though sure of it, adds no second one.
  const auto both = engine->screen("he choked me and zorvacked me", "en");
  EXPECT_EQ(std::count_if(both.flags.begin(), both.flags.end(),
                          [](const triage::risk_flag& f) { return f.category == "strangulation"; }),
            std::count_if(both.flags.begin(), both.flags.end(), [](const triage::risk_flag& f) {
              return f.category == "strangulation" && f.source != triage::flag_source::model;
            }));
}

TEST(learned_classifier, errors_name_the_file_and_line) {
  triage_test::scratch_dir dir;
  const auto model = train_tiny(dir);
  const auto thresholds = triage::learned_classifier::thresholds_file(model);
  const std::string good = read(thresholds);
  ASSERT_EQ(error_of(model), "");

  EXPECT_EQ(error_of(dir.path() / "missing.ftz"), (dir.path() / "missing.ftz").string() + ": model file missing");
  try {
    engine_with(dir.path() / "missing.ftz");
    ADD_FAILURE() << "the engine loaded without its model";
  } catch (const triage::content_error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.ftz: model file missing"), std::string::npos);
  }

  const auto text_file = dir.write("notes.ftz", "this is not a model\n");
  dir.write("notes.thresholds.tsv", "");
  EXPECT_EQ(error_of(text_file), text_file.string() + ": not a fastText model");

  const std::string bytes = read(model);
  const auto cut = dir.write("cut.ftz", bytes.substr(0, bytes.size() / 2));
  dir.write("cut.thresholds.tsv", good);
  EXPECT_NE(error_of(cut).find(cut.string() + ": "), std::string::npos);
  EXPECT_TRUE(error_of(cut).find("cut short") != std::string::npos ||
              error_of(cut).find("unreadable fastText model") != std::string::npos)
      << error_of(cut);
  const auto longer = dir.write("longer.ftz", bytes + "junk");
  dir.write("longer.thresholds.tsv", good);
  EXPECT_NE(error_of(longer).find("bytes after its end"), std::string::npos) << error_of(longer);

  fs::remove(thresholds);
  EXPECT_EQ(error_of(model), thresholds.string() +
                                 ": thresholds file missing (train_screening_model writes it next to tiny.bin)");
  auto thresholds_error = [&](const std::string& text) {
    dir.write("tiny.thresholds.tsv", text);
    return error_of(model);
  };
  const std::string at = thresholds.string() + ":2: ";
  EXPECT_EQ(thresholds_error("# comment\nstrangulation\n"), at + "expected: category<TAB>threshold");
  EXPECT_EQ(thresholds_error("# comment\nchoking\t0.5\n"), at + "unknown category id 'choking'");
  EXPECT_EQ(thresholds_error("# comment\nweapon\t0.5\n"), at + "category 'weapon' is not a label of the model tiny.bin");
  EXPECT_EQ(thresholds_error("strangulation\t0.5\nstrangulation\t0.6\n"), at + "category 'strangulation' listed twice");
  for (const char* bad : {"1.5", "0", "-0.2", "high", "0.5x", "nan"}) {
    EXPECT_EQ(thresholds_error(std::string("# comment\nstrangulation\t") + bad + "\n"),
              at + "threshold must be a probability above 0 and at most 1, not '" + bad + "'")
        << bad;
  }
  // No line: a model that adds nothing is valid.
  EXPECT_EQ(thresholds_error("# nothing\n"), "");
  EXPECT_TRUE(engine_with(model)->screen("he zorvacked me", "en").flags.empty());
}

TEST(learned_classifier, training_is_reproducible) {
  triage_test::scratch_dir a, b;
  const auto first = train_tiny(a, 3);
  const auto second = train_tiny(b, 3);
  EXPECT_EQ(read(first), read(second));
  // The figures' comments carry the training time; the thresholds themselves are the same.
  EXPECT_EQ(without_comments(read(triage::learned_classifier::thresholds_file(first))),
            without_comments(read(triage::learned_classifier::thresholds_file(second))));
  EXPECT_NE(read(triage::learned_classifier::thresholds_file(first)).find("3-fold cross-validation"),
            std::string::npos);
}

std::vector<triage::labelled_message> dev_corpus() {
  std::vector<triage::labelled_message> corpus;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(test_support::source_dir() / "tests/triage/corpus/dev")) {
    if (e.path().extension() == ".jsonl") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    auto part = triage::read_labelled_corpus(f);
    corpus.insert(corpus.end(), part.begin(), part.end());
  }
  return corpus;
}

// The model the build trains (build/models/screening.bin). The rules improve in parallel, so no
// absolute figure is asserted: the model must add recall and almost no false alarm.
TEST(learned_classifier, build_time_model_adds_recall_not_false_alarms) {
  const fs::path model = HELPLINE_SCREENING_MODEL;
  ASSERT_TRUE(fs::exists(model)) << model;
  const auto engine = engine_with(model);
  ASSERT_TRUE(engine->has_model());
  const auto corpus = dev_corpus();
  const auto rules = triage::evaluate_corpus(*engine, corpus, false);
  const auto with = triage::evaluate_corpus(*engine, corpus, true);
  std::cout << "rules alone:\n";
  triage::print_evaluation(std::cout, rules, false);
  std::cout << "\nrules + model:\n";
  triage::print_evaluation(std::cout, with, false);

  EXPECT_GE(with.overall.all_categories.found, rules.overall.all_categories.found);
  EXPECT_GE(with.overall.high_categories.found, rules.overall.high_categories.found);
  EXPECT_LE(with.overall.under_triaged, rules.overall.under_triaged);
  for (const auto& [category, r] : rules.overall.per_category) {
    EXPECT_GE(with.overall.per_category.at(category).found, r.found) << category;
  }
  EXPECT_LE(with.overall.false_alarm_rate(), rules.overall.false_alarm_rate() + 0.01);
  for (const auto& [lang, f] : rules.per_language) {
    EXPECT_LE(with.per_language.at(lang).false_alarm_rate(), f.false_alarm_rate() + 0.01) << lang;
  }
}

// Prints what the model costs per message (screening with and without it); asserts nothing, the
// machine is shared.
TEST(learned_classifier, build_time_model_cost_per_message) {
  const auto with = engine_with(HELPLINE_SCREENING_MODEL);
  const auto without = rules_only_engine();
  const auto corpus = dev_corpus();
  std::vector<std::pair<std::string, std::string>> messages;
  for (const auto& m : corpus) {
    for (const auto& t : m.messages) messages.emplace_back(t, m.lang);
  }
  auto best_of = [&](const triage::screening_engine& engine) {
    double best = 1e9;
    for (int round = 0; round < 5; ++round) {
      std::size_t flags = 0;
      const auto start = std::chrono::steady_clock::now();
      for (const auto& [text, lang] : messages) flags += engine.screen(text, lang).flags.size();
      const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
      best = std::min(best, us / static_cast<double>(messages.size()));
      EXPECT_GT(flags, 0u);
    }
    return best;
  };
  const double rules = best_of(*without), model = best_of(*with);
  std::printf("screening %zu messages: rules %.1f us/message, rules + model %.1f us/message (model %.1f us)\n",
              messages.size(), rules, model, model - rules);
}

// Many threads screening at once get what one thread gets.
TEST(learned_classifier, build_time_model_is_thread_safe) {
  const auto engine = engine_with(HELPLINE_SCREENING_MODEL);
  const auto corpus = dev_corpus();
  auto model_flags = [&](std::size_t from, std::size_t step) {
    std::vector<std::string> out;
    for (std::size_t i = from; i < corpus.size(); i += step) {
      for (const auto& text : corpus[i].messages) {
        for (const auto& f : engine->screen(text, corpus[i].lang).flags) {
          if (f.source == triage::flag_source::model) out.push_back(corpus[i].id + " " + f.category + " " + f.rule);
        }
      }
    }
    return out;
  };
  const auto expected = model_flags(0, 1);
  std::vector<std::vector<std::string>> got(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back([&, t] { got[static_cast<std::size_t>(t)] = model_flags(0, 1); });
  for (auto& t : threads) t.join();
  for (const auto& g : got) EXPECT_EQ(g, expected);
}

}  // namespace
