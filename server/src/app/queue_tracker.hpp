#pragma once
// Keeps this node's view of the queue: after any change (debounced) and every few seconds it
// reads the queue from Redis, tells each local waiting visitor their position and estimated wait
// when either changed, and gives advisors' consoles a fresh queue snapshot.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <mutex>
#include <optional>

namespace helpline {

class app_services;

struct queue_position {
  int position = 0;
  std::optional<long long> estimated_wait_seconds;  // none while no advisor is available
  int advisors_online = 0;
  bool prioritised = false;  // moved up for risk (high or imminent): the widget tells the visitor
  bool operator==(const queue_position&) const = default;
  boost::json::object to_json() const;
};

class queue_tracker {
 public:
  queue_tracker(boost::asio::any_io_executor ex, app_services& app);
  void start();
  void stop();
  void changed();  // thread-safe; refresh soon (at most every 200 ms)

  std::optional<queue_position> position_of(const std::string& conversation) const;
  boost::json::object advisor_snapshot() const;  // the latest {"type":"queue","entries":[...]}

 private:
  boost::asio::awaitable<void> run();
  boost::asio::awaitable<void> refresh();

  app_services& app_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  boost::asio::steady_timer timer_;
  bool dirty_ = true;
  bool stopped_ = false;
  mutable std::mutex mutex_;
  std::map<std::string, queue_position> positions_;
  boost::json::object snapshot_;
};

}  // namespace helpline
