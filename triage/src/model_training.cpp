#include "triage/model_training.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <ctime>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <ostream>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>

#include "fasttext_model.hpp"
#include "triage/corpus_evaluation.hpp"
#include "triage/learned_classifier.hpp"
#include "triage/screening_engine.hpp"
#include "triage/taxonomy.hpp"

namespace triage {
namespace fs = std::filesystem;

namespace {

constexpr std::size_t category_count = taxonomy_categories.size();

// One labelled item (a message, or a whole conversation) as the trainer sees it.
struct item {
  const labelled_message* message = nullptr;
  std::string text;                 // the model's text of every message, joined
  std::set<std::string> rules;      // categories the content rules found (across the conversation)
  std::size_t fold = 0;
  std::array<float, category_count> p{};  // held-out probability (max over its messages)
};

// A stable fold per id (FNV-1a), so an item keeps its fold when the corpus grows.
std::size_t fold_of(const std::string& id, std::size_t folds) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : id) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return static_cast<std::size_t>(h % folds);
}

std::vector<labelled_message> read_corpus(const std::vector<fs::path>& paths) {
  std::vector<fs::path> files;
  for (const auto& p : paths) {
    if (fs::is_directory(p)) {
      std::vector<fs::path> found;
      for (const auto& e : fs::directory_iterator(p)) {
        if (e.is_regular_file() && e.path().extension() == ".jsonl") found.push_back(e.path());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(p);
    }
  }
  if (files.empty()) throw std::runtime_error("no corpus file given");
  std::vector<labelled_message> corpus;
  for (const auto& f : files) {
    auto part = read_labelled_corpus(f);
    corpus.insert(corpus.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
  }
  return corpus;
}

// A file removed when it goes out of scope (fastText trains from a file).
class temporary_file {
 public:
  explicit temporary_file(fs::path p) : path_(std::move(p)) {}
  ~temporary_file() {
    std::error_code ec;
    fs::remove(path_, ec);
  }
  temporary_file(const temporary_file&) = delete;
  temporary_file& operator=(const temporary_file&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// fastText supervised input: "__label__a __label__b text\n", lines in a fixed shuffled order (fastText
// reads the file in order, and the corpus files are sorted by language and part).
void write_training_file(const fs::path& file, const std::vector<const item*>& items, int seed) {
  std::vector<const item*> order(items);
  std::mt19937 rng(static_cast<std::mt19937::result_type>(seed));
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng() % i]);  // same on every platform
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error("cannot write " + file.string());
  const std::string prefix(fasttext_model::label_prefix);
  for (const item* it : order) {
    if (it->message->categories.empty()) {
      out << prefix << fasttext_model::benign_label << ' ';
    } else {
      for (const auto& c : it->message->categories) out << prefix << c << ' ';
    }
    out << it->text << '\n';
  }
  if (!out.flush()) throw std::runtime_error("cannot write " + file.string());
}

// Model label index -> taxonomy category index (category_count for "none").
std::vector<std::size_t> category_of_labels(const fasttext_model& model) {
  std::vector<std::size_t> out;
  for (const auto& label : model.labels()) {
    std::size_t c = 0;
    while (c < category_count && taxonomy_categories[c].id != label) ++c;
    out.push_back(c);
  }
  return out;
}

// Held-out probabilities of `model` for `it`: the most probable of its messages, as screening a
// conversation keeps a category any message raised.
void predict_item(const fasttext_model& model, const std::vector<std::size_t>& category_of, item& it,
                  std::vector<float>& scratch) {
  it.p.fill(0.0f);
  for (const auto& text : it.message->messages) {
    model.predict(text, scratch);
    for (std::size_t l = 0; l < category_of.size(); ++l) {
      const auto c = category_of[l];
      if (c < category_count) it.p[c] = std::max(it.p[c], scratch[l]);
    }
  }
}

// Per category: the held-out items the model could add it to (the rules did not find it), most
// probable first, grouped by equal probability.
struct threshold_search {
  struct group {
    float p = 0;                     // the group's probability
    std::size_t right = 0, wrong = 0;  // cumulative additions down to this group
  };
  std::vector<group> groups;
  std::vector<bool> acceptable;
  long chosen = -1;  // index into groups; -1: off

  float threshold(double floor) const {
    const auto g = static_cast<std::size_t>(chosen);
    const float here = groups[g].p;
    const float below = g + 1 < groups.size() ? groups[g + 1].p : here;
    // Half-way to the next item not added, at most 0.05 below the lowest one added.
    // Rounded down to what the thresholds file holds, so the figures are the file's.
    const double t = std::max((static_cast<double>(here) + below) / 2.0, static_cast<double>(here) - 0.05);
    return static_cast<float>(std::clamp(std::floor(t * 1000.0) / 1000.0, std::max(floor, 0.001), 1.0));
  }
  // The lowest acceptable group above probability p (strictly), or -1.
  long acceptable_above(float p) const {
    long best = -1;
    for (std::size_t g = 0; g < groups.size() && groups[g].p > p; ++g) {
      if (acceptable[g]) best = static_cast<long>(g);
    }
    return best;
  }
};

std::string settings_line(const fasttext_params& p) {
  std::ostringstream s;
  s << "fastText one-vs-all, dim " << p.dim << ", epoch " << p.epoch << ", lr " << p.lr << ", ";
  if (p.maxn > 0) s << "char n-grams " << p.minn << "-" << p.maxn << ", ";
  else s << "no char n-grams, ";
  s << "word n-grams " << p.word_ngrams << ", bucket " << p.bucket << ", seed " << p.seed << ", 1 thread"
    << (p.quantize ? ", quantised" : "");
  return s.str();
}

std::string percent(std::size_t n, std::size_t of) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.1f%% (%zu/%zu)", of == 0 ? 0.0 : 100.0 * static_cast<double>(n) / static_cast<double>(of),
                n, of);
  return buf;
}

std::string rate(std::size_t n, std::size_t of) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3f", of == 0 ? 1.0 : static_cast<double>(n) / static_cast<double>(of));
  return buf;
}

}  // namespace

void model_training_report::print(std::ostream& out, const std::string& prefix) const {
  char line[256];
  out << prefix << settings << "\n";
  if (folds >= 2) {
    out << prefix << messages << " labelled items (" << benign << " benign), " << folds
        << "-fold cross-validation: figures on held-out items\n";
  } else {
    out << prefix << messages << " labelled items (" << benign << " benign), no cross-validation\n";
  }
  std::snprintf(line, sizeof line, "%-18s %9s %8s %11s %11s %12s\n", "category", "threshold", "expected", "rules",
                "rules+model", "added ok/bad");
  out << prefix << line;
  std::size_t expected = 0, rules = 0, with = 0, wrong = 0;
  for (const auto& c : categories) {
    char t[16] = "off";
    if (c.threshold) std::snprintf(t, sizeof t, "%.3f", *c.threshold);
    char added[32];
    std::snprintf(added, sizeof added, "%zu/%zu", c.model_added_right, c.model_added_wrong);
    std::snprintf(line, sizeof line, "%-18s %9s %8zu %11s %11s %12s\n", c.category.c_str(), t, c.expected,
                  rate(c.rules_found, c.expected).c_str(),
                  rate(c.rules_found + c.model_added_right, c.expected).c_str(), added);
    out << prefix << line;
    expected += c.expected;
    rules += c.rules_found;
    with += c.rules_found + c.model_added_right;
    wrong += c.model_added_wrong;
  }
  char added[32];
  std::snprintf(added, sizeof added, "%zu/%zu", with - rules, wrong);
  std::snprintf(line, sizeof line, "%-18s %9s %8zu %11s %11s %12s\n", "all categories", "", expected,
                rate(rules, expected).c_str(), rate(with, expected).c_str(), added);
  out << prefix << line;
  out << prefix << "benign false alarms: rules " << percent(benign_flagged_rules, benign) << ", rules+model "
      << percent(benign_flagged_with_model, benign) << "\n";
  if (risk_messages > 0 && under_triaged_rules + under_triaged_with_model > 0) {
    out << prefix << "under-triage: rules " << percent(under_triaged_rules, risk_messages) << ", rules+model "
        << percent(under_triaged_with_model, risk_messages) << "\n";
  }
  std::snprintf(line, sizeof line, "model %.2f MB, trained in %.1f s (%.1f s of processor time), cross-validation included\n",
                static_cast<double>(model_bytes) / (1024.0 * 1024.0), seconds, cpu_seconds);
  out << prefix << line;
}

model_training_report train_screening_model(const model_training_options& o) {
  const auto started = std::chrono::steady_clock::now();
  const std::clock_t cpu_started = std::clock();
  fasttext_params params;
  if (o.dim) params.dim = *o.dim;
  if (o.epoch) params.epoch = *o.epoch;
  if (o.lr) params.lr = *o.lr;
  if (o.minn) params.minn = *o.minn;
  if (o.maxn) params.maxn = *o.maxn;
  if (o.word_ngrams) params.word_ngrams = *o.word_ngrams;
  if (o.bucket) params.bucket = *o.bucket;
  if (o.seed) params.seed = *o.seed;
  params.quantize = o.quantize;
  if (o.model_file.empty()) throw std::runtime_error("no model file given");

  const auto corpus = read_corpus(o.corpus);
  std::vector<item> items(corpus.size());
  const std::size_t folds = o.folds >= 2 ? static_cast<std::size_t>(o.folds) : 1;
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    auto& it = items[i];
    it.message = &corpus[i];
    for (const auto& m : corpus[i].messages) fasttext_model::append_model_text(m, it.text);
    it.fold = folds >= 2 ? fold_of(corpus[i].id, folds) : 0;
  }
  // What the rules find, to measure what the model adds to them.
  std::shared_ptr<const screening_engine> engine;
  if (!o.content_dir.empty()) {
    engine = screening_engine::load(o.content_dir);
    const auto rules_only = evaluate_corpus(*engine, corpus, false);
    for (std::size_t i = 0; i < items.size(); ++i) items[i].rules = rules_only.screened[i].found;
  }
  std::vector<const item*> trainable;
  for (const auto& it : items) {
    if (!it.text.empty()) trainable.push_back(&it);
  }
  if (trainable.empty()) throw std::runtime_error("the corpus has no text to train on");

  const fs::path dir = o.model_file.parent_path().empty() ? fs::path(".") : o.model_file.parent_path();
  fs::create_directories(dir);
  const std::string stem = o.model_file.stem().string();

  model_training_report report;
  report.messages = items.size();
  report.folds = folds >= 2 ? folds : 0;
  report.settings = settings_line(params);

  // Cross-validation: each fold predicted by a model that never saw it.
  std::vector<float> scratch;
  if (folds >= 2) {
    for (std::size_t f = 0; f < folds; ++f) {
      std::vector<const item*> train;
      for (const item* it : trainable) {
        if (it->fold != f) train.push_back(it);
      }
      temporary_file input(dir / (stem + ".fold" + std::to_string(f) + ".train.txt"));
      write_training_file(input.path(), train, params.seed);
      const auto model = fasttext_model::train(input.path(), params);
      const auto category_of = category_of_labels(model);
      for (auto& it : items) {
        if (it.fold == f) predict_item(model, category_of, it, scratch);
      }
    }
  }

  if (!o.held_out_file.empty() && folds >= 2) {
    // id, fold, labelled categories, categories the rules found, then one probability per category.
    std::ofstream out(o.held_out_file, std::ios::binary | std::ios::trunc);
    out << "id\tlang\tfold\tcategories\trules";
    for (const auto& c : taxonomy_categories) out << '\t' << c.id;
    out << '\n';
    auto joined = [](const std::set<std::string>& s) {
      std::string j;
      for (const auto& x : s) j += (j.empty() ? "" : ",") + x;
      return j;
    };
    for (const auto& it : items) {
      out << it.message->id << '\t' << it.message->lang << '\t' << it.fold << '\t' << joined(it.message->categories)
          << '\t' << joined(it.rules);
      for (const float p : it.p) out << '\t' << p;
      out << '\n';
    }
    if (!out.flush()) throw std::runtime_error("cannot write " + o.held_out_file.string());
  }

  // Thresholds.
  std::array<threshold_search, category_count> search;
  std::array<std::optional<float>, category_count> thresholds;
  const auto labelled = [&](const item& it, std::size_t c) {
    return it.message->categories.count(std::string(taxonomy_categories[c].id)) > 0;
  };
  const auto rules_found = [&](const item& it, std::size_t c) {
    return it.rules.count(std::string(taxonomy_categories[c].id)) > 0;
  };
  if (folds >= 2) {
    for (std::size_t c = 0; c < category_count; ++c) {
      std::vector<const item*> candidates;
      for (const auto& it : items) {
        if (!rules_found(it, c) && it.p[c] > 0.0f && it.p[c] >= o.min_threshold) candidates.push_back(&it);
      }
      std::sort(candidates.begin(), candidates.end(), [&](const item* a, const item* b) { return a->p[c] > b->p[c]; });
      auto& s = search[c];
      std::size_t right = 0, wrong = 0;
      for (std::size_t k = 0; k < candidates.size(); ++k) {
        (labelled(*candidates[k], c) ? right : wrong) += 1;
        if (k + 1 < candidates.size() && candidates[k + 1]->p[c] == candidates[k]->p[c]) continue;
        s.groups.push_back({candidates[k]->p[c], right, wrong});
        const double precision = static_cast<double>(right) / static_cast<double>(right + wrong);
        s.acceptable.push_back(right >= o.min_added && precision >= o.min_precision);
      }
      s.chosen = s.acceptable_above(-1.0f);
    }
    // Benign messages the rules leave alone that the model would flag: raise thresholds, cheapest
    // first (fewest correct additions lost per false alarm removed), until within budget.
    const auto benign = std::count_if(items.begin(), items.end(),
                                      [](const item& it) { return it.message->categories.empty(); });
    const auto budget = static_cast<std::size_t>(o.max_benign_added * static_cast<double>(benign));
    while (true) {
      std::set<const item*> flagged;
      for (std::size_t c = 0; c < category_count; ++c) {
        const auto& s = search[c];
        if (s.chosen < 0) continue;
        const float lowest = s.groups[static_cast<std::size_t>(s.chosen)].p;
        for (const auto& it : items) {
          if (it.message->categories.empty() && it.rules.empty() && it.p[c] >= lowest) flagged.insert(&it);
        }
      }
      if (flagged.size() <= budget) break;
      long best_category = -1, best_group = -1;
      double best_cost = 0;
      for (std::size_t c = 0; c < category_count; ++c) {
        const auto& s = search[c];
        if (s.chosen < 0) continue;
        const float lowest = s.groups[static_cast<std::size_t>(s.chosen)].p;
        float lowest_alarm = 2.0f;
        for (const item* it : flagged) {
          if (it->p[c] >= lowest) lowest_alarm = std::min(lowest_alarm, it->p[c]);
        }
        if (lowest_alarm > 1.0f) continue;
        const long raised = s.acceptable_above(lowest_alarm);
        std::size_t removed = 0;
        const float new_lowest = raised < 0 ? 2.0f : s.groups[static_cast<std::size_t>(raised)].p;
        for (const item* it : flagged) {
          if (it->p[c] >= lowest && it->p[c] < new_lowest) ++removed;
        }
        const std::size_t lost = s.groups[static_cast<std::size_t>(s.chosen)].right -
                                 (raised < 0 ? 0 : s.groups[static_cast<std::size_t>(raised)].right);
        const double cost = static_cast<double>(lost) / static_cast<double>(std::max<std::size_t>(removed, 1));
        if (best_category < 0 || cost < best_cost) {
          best_category = static_cast<long>(c);
          best_group = raised;
          best_cost = cost;
        }
      }
      if (best_category < 0) break;  // never: a flagged item has a category that flags it
      search[static_cast<std::size_t>(best_category)].chosen = best_group;
    }
    for (std::size_t c = 0; c < category_count; ++c) {
      if (search[c].chosen >= 0) thresholds[c] = search[c].threshold(o.min_threshold);
    }
  } else {
    for (std::size_t c = 0; c < category_count; ++c) thresholds[c] = static_cast<float>(o.fixed_threshold);
  }

  // The model itself, on everything. A category it has no label for (none in the corpus) is off.
  {
    temporary_file input(dir / (stem + ".train.txt"));
    write_training_file(input.path(), trainable, params.seed);
    const auto model = fasttext_model::train(input.path(), params);
    model.save(o.model_file);
    // Screening loads the file: it must predict what the cross-validation measured.
    const auto loaded = fasttext_model::load(o.model_file);
    const std::runtime_error differs(o.model_file.string() + " does not predict as the model trained in memory");
    if (loaded.labels() != model.labels()) throw differs;
    std::vector<float> from_file;
    for (const item* it : trainable) {
      model.predict(it->message->messages.front(), scratch);
      loaded.predict(it->message->messages.front(), from_file);
      for (std::size_t l = 0; l < scratch.size(); ++l) {
        if (std::abs(scratch[l] - from_file[l]) > 1e-5f) throw differs;
      }
    }
    const auto category_of = category_of_labels(model);
    for (std::size_t c = 0; c < category_count; ++c) {
      if (std::find(category_of.begin(), category_of.end(), c) == category_of.end()) thresholds[c].reset();
    }
  }

  // The held-out figures at those thresholds.
  for (std::size_t c = 0; c < category_count; ++c) {
    category_training_figures f;
    f.category = std::string(taxonomy_categories[c].id);
    if (thresholds[c]) f.threshold = static_cast<double>(*thresholds[c]);
    report.categories.push_back(std::move(f));
  }
  for (const auto& it : items) {
    const bool benign = it.message->categories.empty();
    std::set<std::string> with_model = it.rules;
    for (std::size_t c = 0; c < category_count; ++c) {
      auto& f = report.categories[c];
      const bool expected = labelled(it, c), rules = rules_found(it, c);
      const bool added = folds >= 2 && !rules && thresholds[c] && it.p[c] >= *thresholds[c];
      if (expected) ++f.expected;
      if (expected && rules) ++f.rules_found;
      if (added) {
        (expected ? f.model_added_right : f.model_added_wrong) += 1;
        with_model.insert(f.category);
      }
    }
    if (benign) {
      ++report.benign;
      if (!it.rules.empty()) ++report.benign_flagged_rules;
      if (!with_model.empty()) ++report.benign_flagged_with_model;
    } else if (engine) {
      ++report.risk_messages;
      const auto expected_level = engine->level_for(it.message->categories);
      if (engine->level_for(it.rules) < expected_level) ++report.under_triaged_rules;
      if (engine->level_for(with_model) < expected_level) ++report.under_triaged_with_model;
    }
  }

  report.model_bytes = fs::file_size(o.model_file);
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  report.cpu_seconds = static_cast<double>(std::clock() - cpu_started) / CLOCKS_PER_SEC;

  const fs::path thresholds_path = learned_classifier::thresholds_file(o.model_file);
  const fs::path partial = thresholds_path.string() + ".partial";
  {
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot write " + partial.string());
    out << "# Thresholds of the learned screening model " << o.model_file.filename().string()
        << " (written by train_screening_model; docs/screening.md, The learned layer).\n"
        << "# category<TAB>threshold: the model adds the category to a message when its probability is at\n"
        << "# least the threshold and the rules did not find it. A category not listed is never added.\n";
    if (folds >= 2) {
      char rule[256];
      std::snprintf(rule, sizeof rule,
                    "# Rule: the lowest threshold (not below %.2f) at which the held-out additions are >= %.0f%% right\n"
                    "# (and at least %zu), then raised until the model newly flags <= %.1f%% of benign items.\n",
                    o.min_threshold, o.min_precision * 100.0, o.min_added, o.max_benign_added * 100.0);
      out << rule;
    } else {
      out << "# No cross-validation: every category at " << o.fixed_threshold << ".\n";
    }
    out << "#\n";
    report.print(out, "# ");
    out << "\n";
    for (std::size_t c = 0; c < category_count; ++c) {
      if (!thresholds[c]) continue;
      char value[16];
      std::snprintf(value, sizeof value, "%.3f", static_cast<double>(*thresholds[c]));
      out << taxonomy_categories[c].id << '\t' << value << '\n';
    }
    if (!out.flush()) throw std::runtime_error("cannot write " + partial.string());
  }
  fs::rename(partial, thresholds_path);
  return report;
}

}  // namespace triage
