#pragma once
// What the connections (and the queue tracker) use of this node: configuration, content, opening
// hours and the stores. helpline_app implements it and creates the connections; they see only
// this interface, so helpline_app and the connection classes no longer include each other.
#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>
#include <memory>

#include "app/account_store.hpp"
#include "app/advisor_store.hpp"
#include "app/app_config.hpp"
#include "app/app_metrics.hpp"
#include "app/callback_store.hpp"
#include "app/conversation_store.hpp"
#include "app/event_publisher.hpp"
#include "app/helpline_content.hpp"
#include "app/local_sessions.hpp"
#include "app/opening_hours.hpp"
#include "app/stats_store.hpp"

namespace helpline {

class queue_tracker;

class app_services {
 public:
  virtual const app_config& config() const = 0;
  // The current content. A reload switches to a new generation; whoever still holds the old one
  // (a visitor mid-screening, a request in flight) keeps it alive, and it is freed after them.
  virtual std::shared_ptr<const helpline_content> content() const = 0;
  // Loads content_dir into a new generation and switches to it; on any error (content_error
  // naming file and line) the current content stays in place.
  virtual std::shared_ptr<const helpline_content> reload_content() = 0;
  virtual const opening_hours& hours() const = 0;
  // An administrator's new opening hours: validated (protocol_error bad_request naming the key),
  // stored in Redis so every node and every restart uses them, and announced to the other nodes.
  virtual boost::asio::awaitable<void> set_hours(const boost::json::value& hours) = 0;
  virtual conversation_store& conversations() = 0;
  virtual account_store& accounts() = 0;
  virtual advisor_store& advisors() = 0;
  virtual event_publisher& events() = 0;  // announcements to every node (hl:events)
  virtual callback_store& callbacks() = 0;
  virtual stats_store& stats() = 0;
  virtual local_sessions& sessions() = 0;
  virtual queue_tracker& queue() = 0;
  virtual app_metrics& metrics() = 0;

 protected:
  ~app_services() = default;  // not owned through this interface
};

}  // namespace helpline
