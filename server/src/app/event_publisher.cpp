#include "app/event_publisher.hpp"

#include <boost/json.hpp>

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;

asio::awaitable<void> event_publisher::queue_changed() {
  const std::string event = json::serialize(json::object{{"kind", "queue_changed"}});
  co_await redis_.publish(event);
}

asio::awaitable<void> event_publisher::content_reload(const std::string& node) {
  const std::string event = json::serialize(json::object{{"kind", "content_reload"}, {"node", node}});
  co_await redis_.publish(event);
}

asio::awaitable<void> event_publisher::hours_changed(const std::string& node) {
  const std::string event = json::serialize(json::object{{"kind", "hours_changed"}, {"node", node}});
  co_await redis_.publish(event);
}

}  // namespace helpline
