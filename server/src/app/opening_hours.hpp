#pragma once
// Opening hours in the helpline's own time zone (ICU), with closures, and the safe-time windows
// callers give for callbacks (which use the same local-time arithmetic).
#include <boost/json/object.hpp>
#include <chrono>
#include <memory>
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
  explicit opening_hours(hours_config config);  // throws config_error for an unknown time zone
  ~opening_hours();
  opening_hours(const opening_hours&) = delete;
  opening_hours& operator=(const opening_hours&) = delete;

  struct status {
    bool open = false;
    std::optional<time_point> closes_at;     // when open
    std::optional<time_point> next_open_at;  // when closed (none if never open in the next 2 weeks)
  };
  status at(time_point now) const;

  // The earliest time >= now inside one of the windows (now itself when inside one).
  std::optional<time_point> next_safe_time(time_point now, const std::vector<safe_window>& windows) const;

  // {"timezone", "open_now", "closes_at", "next_open_at", "weekly": [...], "closures": [...]}
  boost::json::object to_json(time_point now) const;
  const std::string& timezone() const { return config_.timezone; }
  // The local calendar date of `t` in the helpline's zone, "YYYY-MM-DD" (statistics are per day).
  std::string local_date(time_point t) const;

 private:
  struct local_day;
  local_day day_of(time_point t) const;
  time_point at_local(const local_day& day, int minutes) const;

  hours_config config_;
  std::unique_ptr<icu::TimeZone> zone_;
};

}  // namespace helpline
