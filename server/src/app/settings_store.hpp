#pragma once
// Settings an administrator changes in the console and every node applies (docs/redis.md,
// "Settings and statistics"): today the opening hours.
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>

#include "app/redis_call.hpp"

namespace helpline {

class settings_store {
 public:
  explicit settings_store(redis_call redis) : redis_(std::move(redis)) {}

  boost::asio::awaitable<std::optional<std::string>> hours();  // JSON; none when never edited
  boost::asio::awaitable<void> set_hours(const std::string& hours_json);

 private:
  redis_call redis_;
};

}  // namespace helpline
