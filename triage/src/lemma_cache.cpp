#include "lemma_cache.hpp"

#include <algorithm>
#include <cstring>

namespace triage {

lemma_cache::lemma_cache() : entries_(ways * sets) {}

lemma_cache::entry* lemma_cache::set_of(std::string_view token) {
  // FNV-1a: tokens are short, and it needs no seed or allocation.
  std::uint64_t h = 14695981039346656037ULL;
  for (const char c : token) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  h ^= h >> 29;  // the low bits pick the set: mix the high bits in
  return &entries_[(h & (sets - 1)) * ways];
}

std::uint32_t lemma_cache::next_tick() {
  if (++tick_ == 0) {
    // After 2^32 uses the clock wraps: restart it, keeping every entry (their order is lost,
    // which only makes the next few evictions arbitrary).
    for (auto& e : entries_) {
      if (e.last_used != 0) e.last_used = 1;
    }
    tick_ = 2;
  }
  return tick_;
}

bool lemma_cache::find(std::string_view token, std::vector<std::string>& out) {
  if (token.empty() || token.size() > sizeof(entry::bytes)) return false;
  entry* set = set_of(token);
  for (std::size_t w = 0; w < ways; ++w) {
    entry& e = set[w];
    if (e.last_used == 0 || e.key_size != token.size() ||
        std::memcmp(e.bytes, token.data(), token.size()) != 0) {
      continue;
    }
    e.last_used = next_tick();
    if (e.lemma_count == 0) {
      out.emplace_back(token);
      return true;
    }
    std::size_t pos = e.key_size;
    for (std::uint8_t k = 0; k < e.lemma_count; ++k) {
      const auto size = static_cast<unsigned char>(e.bytes[pos++]);
      out.emplace_back(e.bytes + pos, size);
      pos += size;
    }
    return true;
  }
  return false;
}

void lemma_cache::store(std::string_view token, std::span<const std::string> lemmas) {
  if (token.empty() || lemmas.empty()) return;
  const bool itself = lemmas.size() == 1 && lemmas[0] == token;
  std::size_t needed = token.size();
  if (!itself) {
    for (const auto& l : lemmas) needed += 1 + l.size();
  }
  if (needed > sizeof(entry::bytes) || lemmas.size() > 255) return;

  entry* set = set_of(token);
  entry* victim = set;
  for (std::size_t w = 0; w < ways; ++w) {
    entry& e = set[w];
    const bool same = e.last_used != 0 && e.key_size == token.size() &&
                      std::memcmp(e.bytes, token.data(), token.size()) == 0;
    if (same) {
      victim = &e;
      break;
    }
    if (e.last_used < victim->last_used) victim = &e;  // a free entry (0) wins
  }
  entry& e = *victim;
  e.key_size = static_cast<std::uint8_t>(token.size());
  std::memcpy(e.bytes, token.data(), token.size());
  std::size_t pos = token.size();
  e.lemma_count = 0;
  if (!itself) {
    e.lemma_count = static_cast<std::uint8_t>(lemmas.size());
    for (const auto& l : lemmas) {
      e.bytes[pos++] = static_cast<char>(static_cast<unsigned char>(l.size()));
      std::memcpy(e.bytes + pos, l.data(), l.size());
      pos += l.size();
    }
  }
  e.last_used = next_tick();
}

std::size_t lemma_cache::size() const {
  return static_cast<std::size_t>(
      std::count_if(entries_.begin(), entries_.end(), [](const entry& e) { return e.last_used != 0; }));
}

}  // namespace triage
