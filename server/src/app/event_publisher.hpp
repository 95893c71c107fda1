#pragma once
// Announcements on the event channel (docs/redis.md, "Events") that no script makes: a node's
// own news for the other nodes. Events about a conversation come from conversation_store.
#include <boost/asio/awaitable.hpp>
#include <string>

#include "app/redis_call.hpp"

namespace helpline {

class event_publisher {
 public:
  explicit event_publisher(redis_call redis) : redis_(std::move(redis)) {}

  boost::asio::awaitable<void> queue_changed();
  boost::asio::awaitable<void> content_reload(const std::string& node);  // `node` reloaded already
  boost::asio::awaitable<void> hours_changed(const std::string& node);   // `node` applied them already

 private:
  redis_call redis_;
};

}  // namespace helpline
