#pragma once
// Anonymised statistics for commissioners, kept as per-day counters in Redis as things happen
// (so deleting transcripts after the retention period does not change past figures): contacts
// by caller type and channel, highest risk level per conversation, waits, abandonment,
// callback attempts and referrals by programme type. Only counts leave this class. The highest
// level per conversation is counted by the scripts that raise it (answer, visitor_message).
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "app/opening_hours.hpp"
#include "app/redis_call.hpp"

namespace helpline {

class stats_store {
 public:
  stats_store(redis_call redis, const opening_hours& hours) : redis_(std::move(redis)), hours_(hours) {}

  // Recording never fails the user's action: errors are logged and the figure is lost.
  boost::asio::awaitable<void> conversation_started(const std::string& conversation, const std::string& caller_type);
  boost::asio::awaitable<void> callback_requested(const std::string& caller_type);
  boost::asio::awaitable<void> accepted(long long wait_ms);
  boost::asio::awaitable<void> abandoned();
  boost::asio::awaitable<void> callback_attempt();
  boost::asio::awaitable<void> referral(const std::string& programme_type);

  // Dates "YYYY-MM-DD" inclusive, at most 366 days; throws protocol_error bad_request.
  boost::asio::awaitable<boost::json::object> report(const std::string& from, const std::string& to);

  // Today in the helpline's time zone (the day key events are counted under).
  std::string today() const;

 private:
  boost::asio::awaitable<void> record(std::vector<std::vector<std::string>> commands);

  redis_call redis_;
  const opening_hours& hours_;
};

}  // namespace helpline
