// Programme matching and postcode resolution on the shipped sample content.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>

#include "triage/postcode_index.hpp"
#include "triage/programme_directory.hpp"
#include "triage/programme_matcher.hpp"

namespace {

// tests/bench/ -> the source tree's content/ (CMake passes absolute source paths); or
// $HELPLINE_CONTENT_DIR.
std::filesystem::path content_dir() {
  if (const char* dir = std::getenv("HELPLINE_CONTENT_DIR")) return dir;
  return std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "content";
}
const std::filesystem::path content = content_dir();

void load_shipped_postcodes(benchmark::State& state) {
  for (auto _ : state) {
    auto index = triage::postcode_index::load(content / "postcodes" / "uk_outcodes.csv");
    benchmark::DoNotOptimize(index.size());
  }
}
BENCHMARK(load_shipped_postcodes);

void resolve_postcode(benchmark::State& state) {
  const auto index = triage::postcode_index::load(content / "postcodes" / "uk_outcodes.csv");
  for (auto _ : state) benchmark::DoNotOptimize(index.resolve("ls6 2ab"));
}
BENCHMARK(resolve_postcode);

void match_high_risk_leeds(benchmark::State& state) {
  const auto index = triage::postcode_index::load(content / "postcodes" / "uk_outcodes.csv");
  const auto directory = triage::programme_directory::load(content / "programmes" / "directory.json");
  triage::programme_need need;
  need.level = triage::risk_level::high;
  need.location = "LS6";
  for (auto _ : state) benchmark::DoNotOptimize(triage::match_programmes(*directory, index, need));
}
BENCHMARK(match_high_risk_leeds);

}  // namespace

BENCHMARK_MAIN();
