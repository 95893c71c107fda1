#pragma once
// Advisors' live state in Redis (docs/redis.md, "Advisors and accounts"): the profile and
// presence a console works with, and the heartbeat that says a node still holds their console.
// Offers and conversations change only in scripts (conversation_store).
#include <boost/asio/awaitable.hpp>
#include <string>
#include <vector>

#include "app/account_store.hpp"
#include "app/advisor_status.hpp"
#include "app/redis_call.hpp"

namespace helpline {

class advisor_store {
 public:
  explicit advisor_store(redis_call redis) : redis_(std::move(redis)) {}

  // A console logged in: the account's profile is copied for the router, and the advisor is
  // online. A console resuming its session keeps the presence chosen before (else away).
  // Returns the presence.
  boost::asio::awaitable<std::string> sign_in(const account& who, bool keep_presence);
  boost::asio::awaitable<void> set_presence(const std::string& advisor, const std::string& presence);
  boost::asio::awaitable<void> heartbeat(const std::vector<std::string>& advisors);
  // The state of each of these accounts, in the same order.
  boost::asio::awaitable<std::vector<advisor_status>> statuses(const std::vector<account>& accounts);
  // Advisors online and available now, with their capacity (for queue estimates).
  boost::asio::awaitable<std::vector<advisor_status>> available();

 private:
  redis_call redis_;
};

}  // namespace helpline
