#pragma once
// A bounded cache of lemma lists for one thread and one lemmatiser, so that the slow analyser
// (Hunspell: tens of microseconds a word) runs once per distinct word a thread sees, and a hit costs
// a hash and a compare with no allocation (lemmas of up to 15 bytes fit std::string's inline buffer).
//
// 4-way set associative, 512 sets: 2048 entries of one cache line each (128 KiB, allocated on
// construction). When the four entries of a word's set are taken, storing it replaces the one
// used longest ago (LRU within the set), so a full cache keeps the words in current use and a
// burst of new words only costs their analysis. A word whose token and lemmas do not fit in an
// entry (58 bytes) is never stored: it is analysed every time, which is correct, only slower.
// Not thread-safe: each thread has its own (see lemmatiser::this_thread_state).
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace triage {

class lemma_cache {
 public:
  static constexpr std::size_t ways = 4;
  static constexpr std::size_t sets = 512;  // power of two: the set is the hash's low bits

  lemma_cache();

  // When `token` is cached, appends its lemmas to `out` and returns true.
  bool find(std::string_view token, std::vector<std::string>& out);
  // Remembers the lemmas of `token` (not empty). A single lemma equal to the token (a word the
  // analyser does not know) takes no room beyond the token.
  void store(std::string_view token, std::span<const std::string> lemmas);

  std::size_t size() const;  // entries in use (for tests)

 private:
  struct alignas(64) entry {
    std::uint32_t last_used = 0;    // tick of the last store or hit; 0: free
    std::uint8_t key_size = 0;
    std::uint8_t lemma_count = 0;   // 0: the lemma is the token itself
    char bytes[58] = {};            // the token, then each lemma as a size byte and its bytes
  };
  static_assert(sizeof(entry) == 64);

  std::uint32_t next_tick();
  entry* set_of(std::string_view token);

  std::vector<entry> entries_;
  std::uint32_t tick_ = 0;
};

}  // namespace triage
