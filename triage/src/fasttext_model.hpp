#pragma once
// A fastText supervised model whose labels are taxonomy categories ("__label__weapon") or benign
// ("__label__none"), and the one way text is put to it, so that the trainer's cross-validation and
// screening predict alike. Private to the triage library (the fastText headers stay in the .cpp).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace triage {

// How a model is trained (train_screening_model's defaults; docs/screening.md, "The learned layer").
// Chosen by 5-fold cross-validation on the development corpus (docs/screening.md, "The learned layer"): character
// n-grams and quantisation both cost held-out precision there.
struct fasttext_params {
  int dim = 16;           // vector size
  int epoch = 40;
  double lr = 1.0;
  int minn = 0;           // character n-grams of minn..maxn letters; 0: none
  int maxn = 0;
  int word_ngrams = 2;    // word bigrams
  int bucket = 20000;     // hashed word-bigram rows
  int seed = 1;           // with one thread, the same input gives the same model, byte for byte
  bool quantize = false;  // product quantisation (.ftz): a fifth of the size, less precise
};

class fasttext_model {
 public:
  static constexpr std::string_view label_prefix = "__label__";
  static constexpr std::string_view benign_label = "none";

  // Appends `utf8` as the model reads it: text_normaliser tokens (case folded, accents removed,
  // apostrophes dropped), each followed by one space; no punctuation. Thread-safe.
  static void append_model_text(std::string_view utf8, std::string& out);

  // Trains on a fastText supervised file ("__label__a __label__b text" lines), one thread, loss
  // one-vs-all. Throws std::runtime_error.
  static fasttext_model train(const std::filesystem::path& input, const fasttext_params& params);
  // Throws content_error naming the file when it cannot be read, is not a fastText model (or is
  // cut short), is not a one-vs-all supervised model, or has a label that is neither a taxonomy
  // category nor "none".
  static fasttext_model load(const std::filesystem::path& file);
  // Writes the model (to a temporary name, then renamed). Throws std::runtime_error.
  void save(const std::filesystem::path& file) const;

  // Label index -> category id ("none" for the benign label).
  const std::vector<std::string>& labels() const;
  // Probability of every label (indexed as labels()) for a message as the visitor sent it; all 0
  // when it has no word. Thread-safe (per-thread scratch; the model is only read).
  void predict(std::string_view utf8, std::vector<float>& probabilities) const;

  fasttext_model(fasttext_model&&) noexcept;
  fasttext_model& operator=(fasttext_model&&) noexcept;
  ~fasttext_model();

 private:
  struct impl;
  explicit fasttext_model(std::unique_ptr<impl> im);
  std::unique_ptr<impl> impl_;
};

}  // namespace triage
