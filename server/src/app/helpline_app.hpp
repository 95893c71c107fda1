#pragma once
// The helpline service on one node: owns the Redis connections, the content (screening engine,
// scripts, programme directory), the stores, the local sessions, the router loop and the event
// bus. Implements the transport's `application` (it creates the connections) and app_services
// (what the connections use of it).
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <memory>
#include <mutex>
#include <vector>

#include "app/app_services.hpp"
#include "app/queue_tracker.hpp"
#include "app/settings_store.hpp"
#include "net/application.hpp"
#include "net/metrics_registry.hpp"
#include "redis/client.hpp"
#include "redis/subscriber.hpp"

namespace helpline {

class helpline_app : public net::application, public app_services {
 public:
  helpline_app(boost::asio::io_context& ioc, app_config config, net::metrics_registry& metrics);
  ~helpline_app() override;

  void start();  // connects to Redis (in the background), starts the router and the event bus
  void stop();

  // net::application
  std::shared_ptr<net::connection_handler> on_open(std::shared_ptr<net::websocket_session> session) override;
  boost::asio::awaitable<bool> ready() override;
  void append_metrics(std::string& out) override;
  boost::asio::awaitable<std::optional<net::http_response>> handle_api(net::http_request_view request) override;

  // app_services
  const app_config& config() const override { return config_; }
  std::shared_ptr<const helpline_content> content() const override;
  std::shared_ptr<const helpline_content> reload_content() override;
  const opening_hours& hours() const override { return hours_; }
  boost::asio::awaitable<void> set_hours(const boost::json::value& hours) override;
  conversation_store& conversations() override { return conversations_; }
  account_store& accounts() override { return accounts_; }
  advisor_store& advisors() override { return advisors_; }
  event_publisher& events() override { return events_; }
  callback_store& callbacks() override { return callbacks_; }
  stats_store& stats() override { return stats_; }
  local_sessions& sessions() override { return sessions_; }
  queue_tracker& queue() override { return queue_; }
  app_metrics& metrics() override { return metrics_; }

 private:
  boost::asio::awaitable<void> router_loop();
  boost::asio::awaitable<void> heartbeat_loop();
  void on_bus_message(std::string_view payload);
  void on_bus_resubscribed();
  boost::asio::awaitable<void> apply_stored_hours();  // the stored hours over the file's hours
  boost::asio::awaitable<net::http_response> directory_api(net::http_request_view request);

  boost::asio::io_context& ioc_;
  app_config config_;
  mutable std::mutex content_mutex_;  // guards content_ (a pointer copy under it, nothing more)
  std::shared_ptr<const helpline_content> content_;
  opening_hours hours_;
  std::shared_ptr<redis::client> redis_;
  std::shared_ptr<redis::subscriber> bus_;
  app_metrics metrics_;
  conversation_store conversations_;
  account_store accounts_;
  advisor_store advisors_;
  event_publisher events_;
  settings_store settings_;
  callback_store callbacks_;
  stats_store stats_;
  local_sessions sessions_;
  queue_tracker queue_;
  boost::asio::strand<boost::asio::io_context::executor_type> loops_;
  boost::asio::steady_timer router_timer_;
  boost::asio::steady_timer heartbeat_timer_;
  bool stopped_ = false;
  bool hours_loaded_ = false;  // router strand only
};

}  // namespace helpline
