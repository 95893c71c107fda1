#include "triage/learned_classifier.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "content_file.hpp"
#include "fasttext_model.hpp"
#include "triage/content_error.hpp"
#include "triage/taxonomy.hpp"

namespace triage {
namespace fs = std::filesystem;

namespace {

constexpr float never = 2.0f;  // above any probability: the category is not added

class fasttext_classifier final : public learned_classifier {
 public:
  fasttext_classifier(fasttext_model model, std::vector<float> thresholds, std::string file_name)
      : model_(std::move(model)), thresholds_(std::move(thresholds)), file_name_(std::move(file_name)) {}

  void judge(std::string_view text, std::string_view /*lang: one model for every language*/,
             screening_result& result) const override {
    thread_local std::vector<float> p;
    thread_local std::vector<std::size_t> added;
    model_.predict(text, p);
    added.clear();
    const auto& labels = model_.labels();
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (p[i] < thresholds_[i]) continue;
      const bool found = std::any_of(result.flags.begin(), result.flags.end(),
                                     [&](const risk_flag& f) { return f.category == labels[i]; });
      if (!found) added.push_back(i);
    }
    std::sort(added.begin(), added.end(), [&](std::size_t a, std::size_t b) { return p[a] > p[b]; });
    for (const auto i : added) {
      risk_flag f;
      f.category = labels[i];
      f.start = 0;
      f.end = text.size();
      char score[16];
      std::snprintf(score, sizeof score, "%.2f", static_cast<double>(p[i]));
      f.rule = "model:" + file_name_ + " p=" + score;
      // The engine puts the category's label here; the id reads well enough on its own.
      std::string readable = labels[i];
      std::replace(readable.begin(), readable.end(), '_', ' ');
      f.reason = "similar to known disclosures of " + readable;
      f.source = flag_source::model;
      f.score = static_cast<double>(p[i]);
      result.flags.push_back(std::move(f));
    }
  }

 private:
  fasttext_model model_;
  std::vector<float> thresholds_;  // per model label; `never` for "none" and unlisted categories
  std::string file_name_;
};

// category<TAB>threshold lines; every category a label of the model.
std::vector<float> read_thresholds(const fs::path& file, const fs::path& model_file,
                                   const std::vector<std::string>& labels) {
  if (!fs::exists(file))
    throw content_error(file, 0, "thresholds file missing (train_screening_model writes it next to " +
                                     model_file.filename().string() + ")");
  std::vector<float> thresholds(labels.size(), never);
  std::vector<bool> seen(labels.size(), false);
  for (const auto& l : content_file::read(file)) {
    if (l.fields.size() != 2) throw content_error(file, l.number, "expected: category<TAB>threshold");
    const auto& id = l.fields[0];
    if (!category_severity(id)) throw content_error(file, l.number, "unknown category id '" + id + "'");
    const auto at = std::find(labels.begin(), labels.end(), id);
    if (at == labels.end())
      throw content_error(file, l.number,
                          "category '" + id + "' is not a label of the model " + model_file.filename().string());
    const auto index = static_cast<std::size_t>(at - labels.begin());
    if (seen[index]) throw content_error(file, l.number, "category '" + id + "' listed twice");
    seen[index] = true;
    const auto& text = l.fields[1];
    float value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size() || !(value > 0.0f && value <= 1.0f))
      throw content_error(file, l.number, "threshold must be a probability above 0 and at most 1, not '" + text + "'");
    thresholds[index] = value;
  }
  return thresholds;
}

}  // namespace

fs::path learned_classifier::thresholds_file(const fs::path& model_file) {
  fs::path out = model_file;
  out.replace_extension(".thresholds.tsv");
  return out;
}

std::unique_ptr<learned_classifier> learned_classifier::load(const fs::path& model_file) {
  if (!fs::exists(model_file)) throw content_error(model_file, 0, "model file missing");
  auto model = fasttext_model::load(model_file);
  auto thresholds = read_thresholds(thresholds_file(model_file), model_file, model.labels());
  return std::make_unique<fasttext_classifier>(std::move(model), std::move(thresholds),
                                               model_file.filename().string());
}

}  // namespace triage
