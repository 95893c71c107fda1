#include "net/token_bucket.hpp"

#include <algorithm>
#include <stdexcept>

namespace helpline::net {

token_bucket::token_bucket(double rate_per_second, double burst, clock::time_point now)
    : rate_(rate_per_second), burst_(burst), tokens_(burst), last_(now) {
  if (!(rate_per_second >= 0.0) || !(burst >= 1.0)) {
    throw std::invalid_argument("token_bucket: rate must be >= 0 and burst >= 1");
  }
}

void token_bucket::refill(clock::time_point now) {
  if (now <= last_) return;
  const double elapsed = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
  last_ = now;
}

bool token_bucket::try_take(clock::time_point now) {
  refill(now);
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

bool token_bucket::full(clock::time_point now) {
  refill(now);
  return tokens_ >= burst_;
}

}  // namespace helpline::net
