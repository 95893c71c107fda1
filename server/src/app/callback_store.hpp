#pragma once
// Callback requests: stored in Redis (AOF, so never lost on restart), due at the start of the
// caller's next safe window, claimed by one advisor at a time, attempts and outcome recorded.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "app/app_config.hpp"
#include "app/callback.hpp"
#include "app/opening_hours.hpp"
#include "app/redis_call.hpp"

namespace helpline {

struct callback_request {
  std::string phone;
  std::vector<safe_window> safe_times;
  boost::json::array safe_times_json;  // as given, normalised
  bool may_leave_message = false;
  bool may_say_who_is_calling = false;
  std::string lang, caller_type, note, conversation_id;

  // Validates a visitor's `callback_request` frame; throws protocol_error(bad_request).
  static callback_request from_json(const boost::json::object& o, const std::string& default_lang);
};

class callback_store {
 public:
  callback_store(redis_call redis, const app_config& config, const opening_hours& hours);

  // Returns the stored record as JSON (for the confirmation).
  boost::asio::awaitable<boost::json::object> create(const callback_request& request);
  // Pending and claimed callbacks due before now + horizon (overdue included), by due time.
  boost::asio::awaitable<boost::json::array> due(std::chrono::hours horizon);
  boost::asio::awaitable<boost::json::object> claim(const std::string& id, const std::string& advisor);
  // The visitor takes a pending request back: cancelled, out of the list, number removed;
  // conflict once an advisor has claimed it.
  boost::asio::awaitable<void> cancel(const std::string& id);
  boost::asio::awaitable<boost::json::object> release(const std::string& id, const std::string& advisor);
  boost::asio::awaitable<boost::json::object> record_outcome(const std::string& id, const std::string& advisor,
                                                            const std::string& outcome, const std::string& notes,
                                                            std::optional<long long> reschedule_at);

 private:
  redis_call redis_;
  const app_config& config_;
  const opening_hours& hours_;
};

}  // namespace helpline
