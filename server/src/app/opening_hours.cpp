#include "app/opening_hours.hpp"

#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <boost/json.hpp>
#include <algorithm>
#include <cstdio>

namespace helpline {
namespace {

using ms = std::chrono::milliseconds;
constexpr std::array<const char*, 7> day_names{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
constexpr int search_days = 15;

long long to_ms(time_point t) {
  return std::chrono::duration_cast<ms>(t.time_since_epoch()).count();
}

std::string hhmm(int minutes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

}  // namespace

struct opening_hours::local_day {
  int year = 0, month = 0, date = 0;  // month 0-based as in ICU
  int weekday = 0;                    // 0 = Monday
  std::string iso;                    // YYYY-MM-DD
};

struct opening_hours::schedule {
  hours_config config;
  std::unique_ptr<icu::TimeZone> zone;
};

namespace {
std::shared_ptr<const opening_hours::schedule> make_schedule(hours_config config) {
  auto s = std::make_shared<opening_hours::schedule>();
  s->config = std::move(config);
  s->zone.reset(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(s->config.timezone)));
  if (!s->zone || *s->zone == icu::TimeZone::getUnknown()) {
    throw config_error("hours.timezone", "unknown time zone \"" + s->config.timezone + "\"");
  }
  for (const auto& day : s->config.weekly) {
    for (const auto& r : day) {
      if (r.open < 0 || r.close > 24 * 60 || r.open >= r.close) {
        throw config_error("hours.weekly", "each range opens before it closes, within the day");
      }
    }
  }
  return s;
}
}  // namespace

opening_hours::opening_hours(hours_config config) : schedule_(make_schedule(std::move(config))) {}

void opening_hours::replace(hours_config config) {
  auto next = make_schedule(std::move(config));
  std::lock_guard lock(mutex_);
  schedule_ = std::move(next);
}

std::shared_ptr<const opening_hours::schedule> opening_hours::current() const {
  std::lock_guard lock(mutex_);
  return schedule_;
}

hours_config opening_hours::config() const { return current()->config; }

std::string opening_hours::timezone() const { return current()->config.timezone; }

opening_hours::~opening_hours() = default;

std::string opening_hours::local_date(time_point t) const { return day_of(*current(), t).iso; }

opening_hours::local_day opening_hours::day_of(const schedule& sc, time_point t) {
  UErrorCode status = U_ZERO_ERROR;
  icu::GregorianCalendar cal(*sc.zone, status);
  cal.setTime(static_cast<UDate>(to_ms(t)), status);
  local_day d;
  d.year = cal.get(UCAL_YEAR, status);
  d.month = cal.get(UCAL_MONTH, status);
  d.date = cal.get(UCAL_DATE, status);
  d.weekday = (cal.get(UCAL_DAY_OF_WEEK, status) + 5) % 7;  // ICU: Sunday = 1
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month + 1, d.date);
  d.iso = buf;
  return d;
}

time_point opening_hours::at_local(const schedule& sc, const local_day& day, int minutes) {
  UErrorCode status = U_ZERO_ERROR;
  icu::GregorianCalendar cal(*sc.zone, status);
  cal.clear();
  cal.set(day.year, day.month, day.date, minutes / 60, minutes % 60, 0);
  UDate when = cal.getTime(status);
  return time_point(ms(static_cast<long long>(when)));
}

opening_hours::status opening_hours::at(time_point now) const { return at(*current(), now); }

opening_hours::status opening_hours::at(const schedule& sc, time_point now) {
  const hours_config& cfg = sc.config;
  status s;
  if (cfg.always_open) {
    s.open = true;
    return s;
  }
  for (int i = 0; i < search_days; ++i) {
    local_day day = day_of(sc, now + std::chrono::hours(24 * i));
    bool closed_day = std::any_of(cfg.closures.begin(), cfg.closures.end(),
                                  [&](const closure& c) { return c.date == day.iso; });
    if (closed_day) continue;
    for (const auto& r : cfg.weekly[static_cast<std::size_t>(day.weekday)]) {
      time_point open = at_local(sc, day, r.open);
      time_point close = at_local(sc, day, r.close);
      if (open <= now && now < close) {
        s.open = true;
        s.closes_at = close;
        return s;
      }
      if (open > now && (!s.next_open_at || open < *s.next_open_at)) s.next_open_at = open;
    }
    if (s.next_open_at) return s;
  }
  return s;
}

std::optional<time_point> opening_hours::next_safe_time(time_point now,
                                                        const std::vector<safe_window>& windows) const {
  // A callback is promised only for a time that is safe for the caller AND when someone works.
  auto sc = current();
  const hours_config& cfg = sc->config;
  const std::vector<time_range> whole_day{time_range{0, 24 * 60}};
  std::optional<time_point> best;
  for (int i = 0; i < search_days; ++i) {
    local_day day = day_of(*sc, now + std::chrono::hours(24 * i));
    if (!cfg.always_open && std::any_of(cfg.closures.begin(), cfg.closures.end(),
                                        [&](const closure& c) { return c.date == day.iso; })) {
      continue;
    }
    const auto& open = cfg.always_open ? whole_day : cfg.weekly[static_cast<std::size_t>(day.weekday)];
    for (const auto& w : windows) {
      if (w.day >= 0 && w.day != day.weekday) continue;
      for (const auto& r : open) {
        const int from = std::max(w.from, r.open);
        const int to = std::min(w.to, r.close);
        if (from >= to) continue;
        time_point start = at_local(*sc, day, from);
        time_point end = at_local(*sc, day, to);
        time_point candidate = start <= now && now < end ? now : start;
        if (candidate < now) continue;
        if (!best || candidate < *best) best = candidate;
      }
    }
    if (best) return best;
  }
  return best;
}

boost::json::object opening_hours::to_json(time_point now) const {
  namespace json = boost::json;
  auto sc = current();
  const hours_config& cfg = sc->config;
  status s = at(*sc, now);
  json::object o;
  o["timezone"] = cfg.timezone;
  o["open_now"] = s.open;
  o["always_open"] = cfg.always_open;
  o["closes_at"] = s.closes_at ? json::value(to_ms(*s.closes_at)) : json::value(nullptr);
  o["next_open_at"] = s.next_open_at ? json::value(to_ms(*s.next_open_at)) : json::value(nullptr);
  json::array weekly;
  for (std::size_t d = 0; d < 7; ++d) {
    for (const auto& r : cfg.weekly[d]) {
      weekly.push_back(json::object{{"day", day_names[d]}, {"open", hhmm(r.open)}, {"close", hhmm(r.close)}});
    }
  }
  o["weekly"] = std::move(weekly);
  json::array closures;
  for (const auto& c : cfg.closures) closures.push_back(json::object{{"date", c.date}, {"reason", c.reason}});
  o["closures"] = std::move(closures);
  return o;
}

boost::json::object opening_hours::config_json() const {
  namespace json = boost::json;
  auto sc = current();
  json::object weekly;
  for (std::size_t d = 0; d < 7; ++d) {
    json::array ranges;
    for (const auto& r : sc->config.weekly[d]) ranges.push_back(json::array{json::string(hhmm(r.open)), json::string(hhmm(r.close))});
    weekly[day_names[d]] = std::move(ranges);
  }
  json::array closures;
  for (const auto& c : sc->config.closures) closures.push_back(json::object{{"date", c.date}, {"reason", c.reason}});
  return {{"timezone", sc->config.timezone}, {"always_open", sc->config.always_open}, {"weekly", std::move(weekly)},
          {"closures", std::move(closures)}};
}

}  // namespace helpline
