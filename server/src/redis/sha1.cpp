#include "redis/sha1.hpp"

#include <array>
#include <cstdint>

namespace helpline::redis {

namespace {
constexpr std::uint32_t rotate_left(std::uint32_t value, int bits) {
  return (value << bits) | (value >> (32 - bits));
}

// FIPS 180-4, section 6.1.2: one 64-byte block into the running state.
void process_block(std::array<std::uint32_t, 5>& state, const unsigned char* block) {
  std::array<std::uint32_t, 80> w{};
  for (int i = 0; i < 16; ++i) {
    w[i] = (std::uint32_t{block[4 * i]} << 24) | (std::uint32_t{block[4 * i + 1]} << 16) |
           (std::uint32_t{block[4 * i + 2]} << 8) | std::uint32_t{block[4 * i + 3]};
  }
  for (int i = 16; i < 80; ++i) {
    w[i] = rotate_left(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  }
  std::uint32_t a = state[0], b = state[1], c = state[2], d = state[3], e = state[4];
  for (int i = 0; i < 80; ++i) {
    std::uint32_t f = 0;
    std::uint32_t k = 0;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5A827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ED9EBA1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8F1BBCDC;
    } else {
      f = b ^ c ^ d;
      k = 0xCA62C1D6;
    }
    const std::uint32_t next = rotate_left(a, 5) + f + e + k + w[i];
    e = d;
    d = c;
    c = rotate_left(b, 30);
    b = a;
    a = next;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
}
}  // namespace

std::string sha1_hex(std::string_view data) {
  std::array<std::uint32_t, 5> state{0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t full_blocks = data.size() / 64;
  for (std::size_t i = 0; i < full_blocks; ++i) {
    process_block(state, bytes + 64 * i);
  }
  // Padding: 0x80, zeros, then the length in bits as a big-endian 64-bit number.
  std::array<unsigned char, 128> tail{};
  const std::size_t rest = data.size() % 64;
  for (std::size_t i = 0; i < rest; ++i) {
    tail[i] = bytes[64 * full_blocks + i];
  }
  tail[rest] = 0x80;
  const std::size_t tail_size = rest + 1 + 8 <= 64 ? 64 : 128;
  const std::uint64_t bit_length = static_cast<std::uint64_t>(data.size()) * 8;
  for (int i = 0; i < 8; ++i) {
    tail[tail_size - 1 - i] = static_cast<unsigned char>(bit_length >> (8 * i));
  }
  process_block(state, tail.data());
  if (tail_size == 128) {
    process_block(state, tail.data() + 64);
  }
  static constexpr char hex[] = "0123456789abcdef";
  std::string digest;
  digest.reserve(40);
  for (std::uint32_t word : state) {
    for (int shift = 28; shift >= 0; shift -= 4) {
      digest.push_back(hex[(word >> shift) & 0xF]);
    }
  }
  return digest;
}

}  // namespace helpline::redis
