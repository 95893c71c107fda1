#include "fasttext_model.hpp"

#include <fasttext/fasttext.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <istream>
#include <stdexcept>
#include <streambuf>

#include "triage/content_error.hpp"
#include "triage/taxonomy.hpp"
#include "triage/text_normaliser.hpp"

namespace triage {
namespace fs = std::filesystem;

namespace {

// The head of every fastText 0.9 model file (FASTTEXT_FILEFORMAT_MAGIC_INT32 and FASTTEXT_VERSION
// in fasttext.cc; not in the installed headers).
constexpr std::int32_t fasttext_magic = 793712314;
constexpr std::int32_t fasttext_version = 12;

// fastText keeps what we need protected: loading from our own stream (so a file cut short is
// told apart from a complete one), and the dictionary that turns a line into input ids.
class screening_fasttext : public fasttext::FastText {
 public:
  void load_after_header(std::istream& in, std::int32_t file_version) {
    version = file_version;  // what checkModel would have read
    loadModel(in);
  }
  const fasttext::Dictionary& dictionary() const { return *dict_; }
  const fasttext::Args& arguments() const { return *args_; }
};

// Reads a string in place (std::ispanstream is C++23). fastText's reader needs sungetc, which a
// get area over the whole string gives.
class view_buffer : public std::streambuf {
 public:
  explicit view_buffer(std::string_view s) {
    char* p = const_cast<char*>(s.data());  // never written: a get area only
    setg(p, p, p + s.size());
  }
};

const text_normaliser& model_normaliser() {
  static const text_normaliser normaliser;  // no letters kept: every accent removed
  return normaliser;
}

struct predict_scratch {
  normalised_text norm;
  std::string line;
  std::vector<std::int32_t> words, labels;
  fasttext::Predictions predictions;
};

}  // namespace

struct fasttext_model::impl {
  std::unique_ptr<screening_fasttext> ft;
  std::vector<std::string> labels;

  // Label ids -> category ids; throws std::invalid_argument for a model screening cannot use.
  void read_labels() {
    const auto& args = ft->arguments();
    if (args.model != fasttext::model_name::sup) throw std::invalid_argument("not a supervised (classifier) model");
    if (args.loss != fasttext::loss_name::ova)
      throw std::invalid_argument("trained with loss '" + args.lossToString(args.loss) +
                                  "', screening needs one-vs-all ('ova') probabilities");
    const auto& dict = ft->dictionary();
    if (dict.nlabels() <= 0) throw std::invalid_argument("the model has no label");
    labels.clear();
    for (std::int32_t i = 0; i < dict.nlabels(); ++i) {
      const std::string label = dict.getLabel(i);
      if (label.rfind(label_prefix, 0) != 0) throw std::invalid_argument("label '" + label + "' without " + std::string(label_prefix));
      std::string id = label.substr(label_prefix.size());
      if (id != benign_label && !category_severity(id))
        throw std::invalid_argument("label '" + label + "' is not a taxonomy category (nor 'none')");
      labels.push_back(std::move(id));
    }
  }
};

fasttext_model::fasttext_model(std::unique_ptr<impl> im) : impl_(std::move(im)) {}
fasttext_model::fasttext_model(fasttext_model&&) noexcept = default;
fasttext_model& fasttext_model::operator=(fasttext_model&&) noexcept = default;
fasttext_model::~fasttext_model() = default;

void fasttext_model::append_model_text(std::string_view utf8, std::string& out) {
  thread_local normalised_text norm;
  model_normaliser().normalise(utf8, norm);
  out += norm.text;
}

fasttext_model fasttext_model::train(const fs::path& input, const fasttext_params& p) {
  fasttext::Args args;
  args.input = input.string();
  args.model = fasttext::model_name::sup;
  args.loss = fasttext::loss_name::ova;
  args.dim = p.dim;
  args.epoch = p.epoch;
  args.lr = p.lr;
  args.minn = p.minn;
  args.maxn = p.maxn;
  args.wordNgrams = p.word_ngrams;
  args.bucket = p.bucket;
  args.seed = p.seed;
  args.minCount = 1;
  args.thread = 1;  // reproducible: one thread reads the file in order
  args.verbose = 0;
  auto im = std::make_unique<impl>();
  im->ft = std::make_unique<screening_fasttext>();
  try {
    im->ft->train(args);
    if (p.quantize) {
      fasttext::Args q;  // defaults: sub-vectors of 2, no pruning, output matrix kept as is
      q.input = args.input;
      q.verbose = 0;
      q.qout = false;
      q.retrain = false;
      q.cutoff = 0;
      im->ft->quantize(q);
    }
    im->read_labels();
  } catch (const std::exception& e) {
    throw std::runtime_error("fastText training on " + input.string() + " failed: " + e.what());
  }
  return fasttext_model(std::move(im));
}

fasttext_model fasttext_model::load(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw content_error(file, 0, "cannot open the model file");
  std::int32_t magic = 0, version = 0;
  in.read(reinterpret_cast<char*>(&magic), sizeof magic);
  in.read(reinterpret_cast<char*>(&version), sizeof version);
  if (!in || magic != fasttext_magic) throw content_error(file, 0, "not a fastText model");
  if (version != fasttext_version)
    throw content_error(file, 0, "fastText model format " + std::to_string(version) + ", this build reads format " +
                                     std::to_string(fasttext_version));
  auto im = std::make_unique<impl>();
  im->ft = std::make_unique<screening_fasttext>();
  try {
    im->ft->load_after_header(in, version);
  } catch (const std::exception& e) {
    throw content_error(file, 0, std::string("unreadable fastText model: ") + e.what());
  }
  if (!in || in.peek() != std::char_traits<char>::eof())
    throw content_error(file, 0, "the fastText model is cut short or has bytes after its end");
  try {
    im->read_labels();
  } catch (const std::exception& e) {
    throw content_error(file, 0, e.what());
  }
  return fasttext_model(std::move(im));
}

void fasttext_model::save(const fs::path& file) const {
  const fs::path temporary = file.string() + ".partial";
  try {
    impl_->ft->saveModel(temporary.string());
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot write " + file.string() + ": " + e.what());
  }
  fs::rename(temporary, file);
}

const std::vector<std::string>& fasttext_model::labels() const { return impl_->labels; }

void fasttext_model::predict(std::string_view utf8, std::vector<float>& probabilities) const {
  thread_local predict_scratch s;
  probabilities.assign(impl_->labels.size(), 0.0f);
  model_normaliser().normalise(utf8, s.norm);
  if (s.norm.tokens.empty()) return;
  // One line as in training: tokens, then the end of line fastText reads as "</s>".
  s.line.assign(s.norm.text);
  s.line.push_back('\n');
  view_buffer buffer(s.line);
  std::istream in(&buffer);
  impl_->ft->dictionary().getLine(in, s.words, s.labels);
  s.predictions.clear();
  impl_->ft->predict(fasttext::Model::kUnlimitedPredictions, s.words, s.predictions, 0.0f);
  for (const auto& [log_p, label] : s.predictions) {
    // fastText reports log(p + 1e-5).
    const float p = std::exp(log_p) - 1e-5f;
    if (label >= 0 && static_cast<std::size_t>(label) < probabilities.size())
      probabilities[static_cast<std::size_t>(label)] = std::clamp(p, 0.0f, 1.0f);
  }
}

}  // namespace triage
