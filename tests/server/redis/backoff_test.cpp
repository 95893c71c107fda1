#include "redis/backoff.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <set>
#include <vector>

namespace {

using helpline::redis::backoff;
using namespace std::chrono_literals;

// Within +-20% of `base` (the jitter), in whole milliseconds as backoff computes it.
void expect_near(std::chrono::milliseconds delay, long long base) {
  EXPECT_GE(delay.count(), base - base / 5) << "base " << base;
  EXPECT_LE(delay.count(), base + base / 5) << "base " << base;
}

TEST(backoff, doubles_from_min_up_to_max_with_jitter) {
  backoff b(100ms, 1000ms);
  for (const long long base : {100, 200, 400, 800, 1000, 1000, 1000, 1000}) {
    expect_near(b.next(), base);
  }
}

TEST(backoff, reset_starts_again_from_min) {
  backoff b(100ms, 1000ms);
  for (int i = 0; i < 6; ++i) {
    (void)b.next();
  }
  b.reset();
  expect_near(b.next(), 100);
  expect_near(b.next(), 200);
}

TEST(backoff, degenerate_bounds_are_clamped) {
  backoff zero(0ms, 0ms);  // never a busy loop: at least 1 ms
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(zero.next(), 1ms);
  }
  backoff inverted(500ms, 100ms);  // max below min: min wins
  for (int i = 0; i < 5; ++i) {
    expect_near(inverted.next(), 500);
  }
}

TEST(backoff, instances_do_not_retry_in_lockstep) {
  // After a Redis restart every instance starts its series at once: jitter must spread them.
  std::vector<std::unique_ptr<backoff>> many;
  std::set<long long> first_delays;
  for (int i = 0; i < 50; ++i) {
    many.push_back(std::make_unique<backoff>(1000ms, 5000ms));
    first_delays.insert(many.back()->next().count());
  }
  EXPECT_GT(first_delays.size(), 5U);
}

}  // namespace
