// Flood control: a token bucket per WebSocket. Not thread-safe (used on one session's strand).
#pragma once

#include <chrono>

namespace helpline::net {

class token_bucket {
 public:
  using clock = std::chrono::steady_clock;

  // Starts full. rate_per_second >= 0 (0 = never refills), burst >= 1.
  token_bucket(double rate_per_second, double burst, clock::time_point now);

  // Takes one token if there is one.
  bool try_take(clock::time_point now);
  // True when the bucket has refilled completely (the client has been calm for a while).
  bool full(clock::time_point now);

 private:
  void refill(clock::time_point now);
  double rate_;
  double burst_;
  double tokens_;
  clock::time_point last_;
};

}  // namespace helpline::net
