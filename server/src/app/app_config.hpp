#pragma once
// The service's configuration: one JSON file plus environment overrides
// (HELPLINE_<SECTION>_<KEY>, e.g. HELPLINE_REDIS_PORT=6380), validated at start with an error that
// names the bad key. See deploy/helpline.json for every key with its default.
#include <boost/json/value.hpp>

#include <array>
#include <chrono>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "net/server_options.hpp"
#include "redis/options.hpp"

namespace helpline {

class config_error : public std::runtime_error {
 public:
  config_error(const std::string& key, const std::string& message)
      : std::runtime_error("config: " + key + ": " + message), key_(key) {}
  const std::string& key() const noexcept { return key_; }

 private:
  std::string key_;
};

struct time_range {  // minutes since local midnight, [open, close)
  int open = 0;
  int close = 0;
};

struct closure {
  std::string date;  // YYYY-MM-DD in the helpline's time zone
  std::string reason;
};

struct hours_config {
  std::string timezone = "Europe/London";
  bool always_open = false;
  std::array<std::vector<time_range>, 7> weekly;  // index 0 = Monday
  std::vector<closure> closures;
};

struct routing_config {
  std::chrono::seconds offer_timeout{30};      // an offer not accepted by then goes to the next advisor
  std::chrono::seconds skill_wait{120};        // then any advisor, with an interpreter note
  std::chrono::seconds abandon_after{300};     // visitor gone this long while waiting -> abandoned
  std::chrono::milliseconds tick{250};         // how often each node runs the router
  // Ageing: a conversation's queue score is queued_at minus its level's boost, so a higher level
  // goes first but only by this much: a low-risk visitor who has waited longer than the gap
  // overtakes. imminent's boost is effectively infinite.
  std::array<std::chrono::seconds, 5> level_boost{std::chrono::seconds{0}, std::chrono::seconds{300},
                                                  std::chrono::seconds{900}, std::chrono::seconds{1800},
                                                  std::chrono::seconds{100LL * 365 * 24 * 3600}};
  std::chrono::seconds default_handle_time{600};  // for wait estimates before any history
};

struct limits_config {
  // Per message, in characters (Unicode code points), the same count the widget and console show:
  // a limit in bytes would give Arabic or Polish writers half or less of what English ones get.
  std::size_t max_text_chars = 4000;
  std::size_t max_text_bytes() const { return max_text_chars * 4; }  // UTF-8: at most 4 per character
  std::size_t max_messages_per_conversation = 5000;
  std::size_t max_callbacks_per_connection = 3;
};

struct app_config {
  std::string node_id;  // unique per process; default: hostname-pid
  net::server_options server;
  redis::options redis;
  std::filesystem::path content_dir = "content";
  // The learned screening layer (docs/screening.md, "The learned layer"); empty: content rules only.
  std::filesystem::path screening_model;
  std::string default_language = "en";
  hours_config hours;
  routing_config routing;
  limits_config limits;
  std::chrono::hours session_lifetime{12};
  std::chrono::minutes callback_claim{20};
  std::chrono::hours retention{24 * 30};   // closed conversations and done callbacks kept this long
  std::string emergency_guidance =
      "If someone is in immediate danger, call 999 (112 from any phone in the EU). Tell your "
      "supervisor now. Keep the caller talking if it is safe; note what they said word for word.";
  // Helpline policy: when a supervisor joins a chat to watch, the visitor is told ("A supervisor
  // has joined to support the advisor"). Off: joining stays silent to the visitor.
  bool tell_visitor_when_supervisor_joins = false;
  std::string log_level = "info";
  bool log_json = false;

  // Reads `file` (may be empty: defaults only), then applies `env` overrides. Throws config_error.
  static app_config load(const std::filesystem::path& file,
                         const std::map<std::string, std::string>& env);
  static std::map<std::string, std::string> environment();  // HELPLINE_* variables of this process
};

// The "hours" section alone (an administrator editing the hours in the console), validated as at
// start: config_error names the bad key.
hours_config parse_hours(const boost::json::value& hours);

}  // namespace helpline
