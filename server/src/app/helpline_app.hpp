#pragma once
#include <mutex>
#include <vector>
// The helpline service on one node: the shared state object that owns the Redis connections,
// the content (screening engine, scripts, programme directory), the stores, the local sessions,
// the router loop and the event bus. Implements the transport's `application`.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <memory>

#include "app/account_store.hpp"
#include "app/advisor_store.hpp"
#include "app/app_config.hpp"
#include "app/app_metrics.hpp"
#include "app/callback_store.hpp"
#include "app/conversation_store.hpp"
#include "app/event_publisher.hpp"
#include "app/local_sessions.hpp"
#include "app/opening_hours.hpp"
#include "app/queue_tracker.hpp"
#include "app/settings_store.hpp"
#include "app/stats_store.hpp"
#include "net/application.hpp"
#include "net/metrics_registry.hpp"
#include "redis/client.hpp"
#include "redis/subscriber.hpp"
#include "triage/canned_responses.hpp"
#include "triage/postcode_index.hpp"
#include "triage/programme_directory.hpp"
#include "triage/screening_engine.hpp"
#include "triage/script_catalogue.hpp"

namespace helpline {

// Everything under content/ the service needs, loaded and validated together.
struct helpline_content {
  std::shared_ptr<const triage::screening_engine> engine;
  std::shared_ptr<const triage::script_catalogue> scripts;
  std::shared_ptr<const triage::programme_directory> directory;
  std::shared_ptr<const triage::postcode_index> postcodes;
  std::shared_ptr<const triage::canned_responses> canned;

  // Throws content_error (a bad content file, or a model that cannot be read).
  static helpline_content load(const std::filesystem::path& content_dir,
                               const std::filesystem::path& screening_model = {});
};

class helpline_app : public net::application {
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

  const app_config& config() const { return config_; }
  // The current content. A reload switches to a new generation; whoever still holds the old one
  // (a visitor mid-screening, a request in flight) keeps it alive, and it is freed after them.
  std::shared_ptr<const helpline_content> content() const;
  // Loads content_dir into a new generation and switches to it; on any error (content_error
  // naming file and line) the current content stays in place.
  std::shared_ptr<const helpline_content> reload_content();
  const opening_hours& hours() const { return hours_; }
  // An administrator's new opening hours: validated (protocol_error bad_request naming the key),
  // stored in Redis so every node and every restart uses them, and announced to the other nodes.
  boost::asio::awaitable<void> set_hours(const boost::json::value& hours);
  conversation_store& conversations() { return conversations_; }
  account_store& accounts() { return accounts_; }
  advisor_store& advisors() { return advisors_; }
  event_publisher& events() { return events_; }
  callback_store& callbacks() { return callbacks_; }
  stats_store& stats() { return stats_; }
  local_sessions& sessions() { return sessions_; }
  queue_tracker& queue() { return queue_; }
  app_metrics& metrics() { return metrics_; }

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
