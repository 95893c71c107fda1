// Screening speed: one ~200-byte chat message with every language pack loaded (plain, with
// evasion tricks, Polish), and the
// `helpline screen` JSON Lines throughput on 200,000 generated lines.
// Content is looked up as $HELPLINE_CONTENT_DIR, else ./content or ../content, ../../content
// (from the build's bin folder).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "triage/screen_command.hpp"
#include "triage/screening_engine.hpp"

namespace {

std::filesystem::path content_dir() {
  if (const char* env = std::getenv("HELPLINE_CONTENT_DIR")) return env;
  std::vector<std::filesystem::path> bases{std::filesystem::current_path()};
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) bases.push_back(exe.parent_path());
  for (const auto& base : bases) {
    for (auto dir = base; !dir.empty() && dir != dir.root_path(); dir = dir.parent_path()) {
      if (std::filesystem::is_directory(dir / "content" / "risk")) return dir / "content";
    }
  }
  return "content";
}

const triage::screening_engine& engine() {
  static const auto e = triage::screening_engine::load(content_dir());
  return *e;
}

// Chat-sized messages (~200 bytes), a mix of benign and risky, with chat spelling.
const std::vector<std::string>& messages() {
  static const std::vector<std::string> m{
      "hi, i dont really know where to start. we had a massive row last night about money and i ended up "
      "shouting at her in front of the kids, i feel awful and i want to sort myself out before it gets worse",
      "My partner says I'm controlling because I check her phone and I don't like her going out with her "
      "friends without me. I was drunk when I grabbed her arm. Is there a course I can do near Leeds?",
      "I'm a social worker and I'm working with a dad who has a history of domestic abuse; he told me he "
      "choked his previous partner and she is now pregnant. What should I do about the risk to the baby?",
      "its not like i hit her or anything, she just winds me up on purpose and knows exactly what sets me "
      "off. work has been crazy and im stressed about money, any man would react the same way honestly",
      "sorry for the long message, my back is killing me and this job is killing me too. I would never "
      "hurt the kids and no weapon was ever involved, we just argue a lot. Can someone call me tomorrow?",
      "i thretened to stab him and i stranglled her last week when she said she wanted to leave me. i keep "
      "thinking about it and i cant sleep, shes moved out with the kids and wont let me see them now",
  };
  return m;
}

void bm_screen_message(benchmark::State& state) {
  const auto& e = engine();
  const auto& msgs = messages();
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const auto& text = msgs[i++ % msgs.size()];
    auto r = e.screen(text, "en");
    benchmark::DoNotOptimize(r);
    bytes += text.size();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(bm_screen_message);

// The same kind of messages written to slip past screening: zero-width and soft-hyphen characters
// inside words, full-width and mathematical letters, Cyrillic look-alikes, spaced-out letters.
void bm_screen_message_evasive(benchmark::State& state) {
  const auto& e = engine();
  static const std::vector<std::string> msgs{
      "i thretened to st\u200Bab him and i str\u00ADangled her last week when she said she wanted to leave "
      "me. i keep thinking about it and i cant sleep, shes moved out with the kids",
      "My partner says I'm controlling because I check her phone. I was drunk when I ｇｒａｂｂｅｄ her arm "
      "and I ch\u043Eked her, I said I would k-i-l-l her. Is there a course I can do near Leeds?",
      "sorry for the long message, i s t r a n g l e d her and put my 𝐡𝐚𝐧𝐝𝐬 round her neck, she couldnt "
      "breathe. I would never hurt the kids. Can someone call me tomorrow?",
  };
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = e.screen(msgs[i++ % msgs.size()], "en");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(bm_screen_message_evasive);

void bm_screen_message_polish(benchmark::State& state) {
  const auto& e = engine();
  const std::string text =
      "wczoraj znowu się pokłóciliśmy, byłem pijany i pobiłem ją, dusiłem ją przy dzieciach. ona mówi że "
      "odejdzie i zabierze dzieci, nie wiem co robić, czy jest jakiś program w Warszawie?";
  for (auto _ : state) {
    auto r = e.screen(text, "pl");
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(bm_screen_message_polish);

void bm_screen_command(benchmark::State& state) {
  const auto& e = engine();
  const auto lines = static_cast<std::size_t>(state.range(0));
  std::string input;
  const auto& msgs = messages();
  for (std::size_t i = 0; i < lines; ++i) {
    // Chat-sized texts: the first 60-140 bytes of the sample messages.
    const auto& m = msgs[i % msgs.size()];
    input += "{\"id\":" + std::to_string(i) + ",\"text\":\"" + m.substr(0, 60 + (i * 37) % 80) + "\",\"lang\":\"en\"}\n";
  }
  for (auto _ : state) {
    std::istringstream in(input);
    std::ostringstream out;
    const int rc = triage::run_screen_command(in, out, e, "en");
    if (rc != 0) state.SkipWithError("screen command failed");
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
  state.counters["lines_per_second"] =
      benchmark::Counter(static_cast<double>(state.iterations() * lines), benchmark::Counter::kIsRate);
}
BENCHMARK(bm_screen_command)->Arg(200000)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
