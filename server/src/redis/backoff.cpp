#include "redis/backoff.hpp"

#include <algorithm>

namespace helpline::redis {

backoff::backoff(std::chrono::milliseconds min, std::chrono::milliseconds max)
    : min_(std::max(min, std::chrono::milliseconds(1))),
      max_(std::max(max, min_)),
      current_(min_),
      state_(static_cast<std::uint32_t>(
                 std::chrono::steady_clock::now().time_since_epoch().count() ^
                 reinterpret_cast<std::uintptr_t>(this)) |  // NOLINT: any seed will do
             1U) {}

std::chrono::milliseconds backoff::next() noexcept {
  state_ ^= state_ << 13;
  state_ ^= state_ >> 17;
  state_ ^= state_ << 5;
  const auto base = current_.count();
  const auto spread = base / 5;
  const auto jitter = spread > 0 ? static_cast<long long>(state_ % (2 * spread + 1)) - spread : 0;
  current_ = std::min(current_ * 2, max_);
  return std::chrono::milliseconds(base + jitter);
}

}  // namespace helpline::redis
