#pragma once
// Reconnect delays: doubling from min to max, with +-20% jitter so that many instances do not
// reconnect in lockstep after a Redis restart.
#include <chrono>
#include <cstdint>

namespace helpline::redis {

class backoff {
 public:
  backoff(std::chrono::milliseconds min, std::chrono::milliseconds max);
  // The delay before the next attempt; each call doubles the following one (up to max).
  std::chrono::milliseconds next() noexcept;
  // After a successful connection.
  void reset() noexcept { current_ = min_; }

 private:
  std::chrono::milliseconds min_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds current_;
  std::uint32_t state_;  // xorshift32: jitter needs no quality, only spread
};

}  // namespace helpline::redis
