// train_screening_model: trains the learned layer of screening (docs/screening.md, "The learned layer") from
// labelled corpora. The build runs it (target screening_model) to write build/models/screening.bin
// and screening.thresholds.tsv from tests/triage/corpus/dev/ and content/.
//
//   train_screening_model --output models/screening.bin --content content
//       --corpus tests/triage/corpus/dev [--corpus ...]
//       thresholds: [--folds 5] [--min-precision 0.9] [--min-added 3] [--min-threshold 0.2]
//                   [--max-benign-added 0.005]
//       fastText:   [--dim 16] [--epoch 40] [--lr 1.0] [--minn 0] [--maxn 0] [--word-ngrams 2]
//                   [--bucket 20000] [--seed 1] [--quantize]
//       [--held-out FILE.tsv] (every held-out probability, for analysis) [--quiet] (one line)
#include <charconv>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>

#include "triage/model_training.hpp"

namespace {

[[noreturn]] void usage(const std::string& problem) {
  std::cerr << "train_screening_model: " << problem << "\n"
            << "usage: train_screening_model --output FILE.bin --corpus PATH [--corpus PATH]... [--content DIR]\n"
            << "       [--folds N] [--min-precision P] [--min-added N] [--min-threshold P] [--max-benign-added P]\n"
            << "       [--dim N] [--epoch N] [--lr X] [--minn N] [--maxn N] [--word-ngrams N] [--bucket N]\n"
            << "       [--seed N] [--quantize] [--held-out FILE.tsv] [--quiet]\n";
  std::exit(2);
}

template <typename T>
T number(std::string_view flag, std::string_view text) {
  T value{};
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || ptr != text.data() + text.size()) usage(std::string(flag) + ": not a number: " + std::string(text));
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  triage::model_training_options o;
  bool quiet = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--quantize") {
      o.quantize = true;
      continue;
    }
    if (flag == "--quiet") {
      quiet = true;
      continue;
    }
    if (i + 1 >= argc) usage("missing value after " + std::string(flag));
    const std::string_view value = argv[++i];
    if (flag == "--output") o.model_file = value;
    else if (flag == "--corpus") o.corpus.emplace_back(value);
    else if (flag == "--content") o.content_dir = value;
    else if (flag == "--held-out") o.held_out_file = value;
    else if (flag == "--folds") o.folds = number<int>(flag, value);
    else if (flag == "--min-precision") o.min_precision = number<double>(flag, value);
    else if (flag == "--min-added") o.min_added = number<std::size_t>(flag, value);
    else if (flag == "--min-threshold") o.min_threshold = number<double>(flag, value);
    else if (flag == "--max-benign-added") o.max_benign_added = number<double>(flag, value);
    else if (flag == "--dim") o.dim = number<int>(flag, value);
    else if (flag == "--epoch") o.epoch = number<int>(flag, value);
    else if (flag == "--lr") o.lr = number<double>(flag, value);
    else if (flag == "--minn") o.minn = number<int>(flag, value);
    else if (flag == "--maxn") o.maxn = number<int>(flag, value);
    else if (flag == "--word-ngrams") o.word_ngrams = number<int>(flag, value);
    else if (flag == "--bucket") o.bucket = number<int>(flag, value);
    else if (flag == "--seed") o.seed = number<int>(flag, value);
    else usage("unknown option " + std::string(flag));
  }
  if (o.model_file.empty()) usage("--output is required");
  if (o.corpus.empty()) usage("at least one --corpus is required");
  try {
    const auto report = triage::train_screening_model(o);
    if (quiet) {
      std::cout << "train_screening_model: " << o.model_file.string() << " ("
                << (report.model_bytes + 512) / 1024 << " KiB, " << static_cast<int>(report.seconds + 0.5)
                << " s, " << static_cast<int>(report.cpu_seconds + 0.5) << " s of processor time); figures in " << o.model_file.stem().string() << ".thresholds.tsv\n";
    } else {
      report.print(std::cout);
    }
  } catch (const std::exception& e) {
    std::cerr << "train_screening_model: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
