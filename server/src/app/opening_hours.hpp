#pragma once
// Opening hours in the helpline's own time zone (ICU), with closures, and the safe-time windows
// callers give for callbacks (which use the same local-time arithmetic).
#include <boost/json/object.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/app_config.hpp"

#include <unicode/uversion.h>

U_NAMESPACE_BEGIN
class TimeZone;
U_NAMESPACE_END

namespace helpline {

using time_point = std::chrono::system_clock::time_point;

struct safe_window {  // a window a caller says is safe, in the helpline's local time
  int day = -1;       // 0 = Monday .. 6 = Sunday, -1 = any day
  int from = 0;       // minutes since local midnight
  int to = 0;
};

class opening_hours {
 public:
  struct schedule;  // the configuration with its ICU time zone
  explicit opening_hours(hours_config config);  // throws config_error for an unknown time zone
  // Thread-safe: an administrator changed the hours (all nodes apply it). Throws config_error
  // and keeps the current hours when `config` is invalid.
  void replace(hours_config config);
  hours_config config() const;
  // The hours in the configuration file's shape (what an administrator edits).
  boost::json::object config_json() const;
  ~opening_hours();
  opening_hours(const opening_hours&) = delete;
  opening_hours& operator=(const opening_hours&) = delete;

  struct status {
    bool open = false;
    std::optional<time_point> closes_at;     // when open
    std::optional<time_point> next_open_at;  // when closed (none if never open in the next 2 weeks)
  };
  status at(time_point now) const;

  // The earliest time >= now inside one of the windows and inside the opening hours (now itself
  // when inside both); none when no window meets an open hour in the next two weeks.
  std::optional<time_point> next_safe_time(time_point now, const std::vector<safe_window>& windows) const;

  // {"timezone", "open_now", "closes_at", "next_open_at", "weekly": [...], "closures": [...]}
  boost::json::object to_json(time_point now) const;
  std::string timezone() const;
  // The local calendar date of `t` in the helpline's zone, "YYYY-MM-DD" (statistics are per day).
  std::string local_date(time_point t) const;

 private:
  struct local_day;
  static local_day day_of(const schedule& sc, time_point t);
  static time_point at_local(const schedule& sc, const local_day& day, int minutes);
  static status at(const schedule& sc, time_point now);
  std::shared_ptr<const schedule> current() const;

  mutable std::mutex mutex_;
  std::shared_ptr<const schedule> schedule_;  // replaced whole, never changed in place
};

}  // namespace helpline
