// Opening hours are local time in the helpline's zone (summer time included), with closures.
#include "app/opening_hours.hpp"

#include <gtest/gtest.h>

#include <ctime>

#include "app/app_config.hpp"

namespace helpline {
namespace {

time_point utc(int y, int mo, int d, int h, int mi) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

hours_config weekdays_9_to_5_london() {
  hours_config h;
  h.timezone = "Europe/London";
  for (int day = 0; day < 5; ++day) h.weekly[static_cast<std::size_t>(day)] = {{9 * 60, 17 * 60}};
  h.closures = {{"2026-12-25", "Christmas Day"}};
  return h;
}

TEST(opening_hours, open_and_closed_follow_local_time_in_winter_and_summer) {
  opening_hours hours(weekdays_9_to_5_london());
  // Monday 30 November 2026: London is on GMT.
  EXPECT_FALSE(hours.at(utc(2026, 11, 30, 8, 59)).open);
  auto open = hours.at(utc(2026, 11, 30, 9, 0));
  EXPECT_TRUE(open.open);
  ASSERT_TRUE(open.closes_at);
  EXPECT_EQ(*open.closes_at, utc(2026, 11, 30, 17, 0));
  // Monday 6 July 2026: London is on BST (UTC+1), so 08:30 UTC is 09:30 local.
  EXPECT_TRUE(hours.at(utc(2026, 7, 6, 8, 30)).open);
  EXPECT_FALSE(hours.at(utc(2026, 7, 6, 16, 0)).open) << "17:00 BST";
}

TEST(opening_hours, closed_at_weekends_and_on_closures_with_the_next_opening) {
  opening_hours hours(weekdays_9_to_5_london());
  auto saturday = hours.at(utc(2026, 11, 28, 12, 0));
  EXPECT_FALSE(saturday.open);
  ASSERT_TRUE(saturday.next_open_at);
  EXPECT_EQ(*saturday.next_open_at, utc(2026, 11, 30, 9, 0)) << "Monday 09:00";

  auto christmas = hours.at(utc(2026, 12, 25, 11, 0));  // a Friday, but closed
  EXPECT_FALSE(christmas.open);
  ASSERT_TRUE(christmas.next_open_at);
  EXPECT_EQ(*christmas.next_open_at, utc(2026, 12, 28, 9, 0));
}

TEST(opening_hours, always_open_and_never_open) {
  hours_config always;
  always.always_open = true;
  EXPECT_TRUE(opening_hours(always).at(utc(2026, 12, 25, 3, 0)).open);

  hours_config never;  // no weekly ranges at all
  auto s = opening_hours(never).at(utc(2026, 11, 30, 12, 0));
  EXPECT_FALSE(s.open);
  EXPECT_FALSE(s.next_open_at) << "no opening in the next two weeks";
}

TEST(opening_hours, unknown_time_zone_is_a_config_error) {
  hours_config h;
  h.timezone = "Europe/Atlantis";
  EXPECT_THROW(opening_hours{h}, config_error);
}

TEST(opening_hours, next_safe_time_for_a_callback_is_inside_a_window_in_local_time) {
  hours_config open_all_week;
  open_all_week.timezone = "Europe/London";
  open_all_week.always_open = true;
  opening_hours hours(open_all_week);
  const std::vector<safe_window> evenings{{-1, 18 * 60, 20 * 60}};
  // 12:00 on Monday 30 November -> 18:00 the same day.
  EXPECT_EQ(hours.next_safe_time(utc(2026, 11, 30, 12, 0), evenings), utc(2026, 11, 30, 18, 0));
  // Inside the window: now.
  EXPECT_EQ(hours.next_safe_time(utc(2026, 11, 30, 19, 0), evenings), utc(2026, 11, 30, 19, 0));
  // After it: tomorrow evening.
  EXPECT_EQ(hours.next_safe_time(utc(2026, 11, 30, 21, 0), evenings), utc(2026, 12, 1, 18, 0));
  // Saturday mornings only, asked on a Monday in summer: Saturday 10:00 BST = 09:00 UTC.
  const std::vector<safe_window> saturday{{5, 10 * 60, 12 * 60}};
  EXPECT_EQ(hours.next_safe_time(utc(2026, 7, 6, 12, 0), saturday), utc(2026, 7, 11, 9, 0));
}

TEST(opening_hours, a_callback_is_promised_only_when_the_line_is_open) {
  opening_hours hours(weekdays_9_to_5_london());
  // Safe only in the evening, open 9 to 5: no time to promise.
  EXPECT_EQ(hours.next_safe_time(utc(2026, 11, 30, 12, 0), {{-1, 18 * 60, 20 * 60}}), std::nullopt);
  // Safe 16:00-20:00: the open part, 16:00-17:00, today.
  EXPECT_EQ(hours.next_safe_time(utc(2026, 11, 30, 12, 0), {{-1, 16 * 60, 20 * 60}}), utc(2026, 11, 30, 16, 0));
  // Safe any day from 10:00, asked on Saturday: Monday 10:00 (the weekend is closed).
  EXPECT_EQ(hours.next_safe_time(utc(2026, 12, 5, 9, 0), {{-1, 10 * 60, 12 * 60}}), utc(2026, 12, 7, 10, 0));
  // Friday 25 December is a closure: the Friday-only window moves to the next Friday.
  EXPECT_EQ(hours.next_safe_time(utc(2026, 12, 24, 12, 0), {{4, 10 * 60, 12 * 60}}), utc(2027, 1, 1, 10, 0));
}

}  // namespace
}  // namespace helpline
