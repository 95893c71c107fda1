#include "app/stats_store.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <cmath>

#include "app/keys.hpp"
#include "app/protocol_error.hpp"
#include "net/log.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;
namespace {

constexpr const char* keep_seconds = "94694400";  // three years: figures outlive transcripts
constexpr int max_days = 366;
constexpr const char* level_names[] = {"none", "low", "medium", "high", "imminent"};


std::optional<std::chrono::sys_days> parse_day(const std::string& s) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2u-%2u", &y, &m, &d) != 3) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days{ymd};
}

std::string format_day(std::chrono::sys_days day) {
  std::chrono::year_month_day ymd{day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

long long percentile(const std::vector<long long>& sorted, double p) {  // nearest rank
  auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
  return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

void add(json::object& o, const std::string& key, long long n) {
  auto& v = o[key];
  v = (v.is_int64() ? v.as_int64() : 0) + n;
}

}  // namespace

std::string stats_store::today() const { return hours_.local_date(std::chrono::system_clock::now()); }

asio::awaitable<void> stats_store::record(std::vector<std::vector<std::string>> commands) {
  try {
    co_await redis_.pipeline(std::move(commands));
  } catch (const std::exception& e) {
    net::log::get("app")->warn("statistics not recorded: {}", e.what());
  }
}

asio::awaitable<void> stats_store::conversation_started(const std::string& conversation, const std::string& caller_type) {
  const std::string day = today();
  std::vector<std::vector<std::string>> cmds{
      {"HINCRBY", keys::stats_day(day), "contacts:chat:" + caller_type, "1"},
      {"EXPIRE", keys::stats_day(day), keep_seconds},
      {"HSET", keys::stats_levels(day), conversation, "0"},
      {"EXPIRE", keys::stats_levels(day), keep_seconds},
      {"HSET", keys::conversation(conversation), "stats_day", day}};
  co_await record(std::move(cmds));
}

asio::awaitable<void> stats_store::callback_requested(const std::string& caller_type) {
  const std::string day = today();
  std::vector<std::vector<std::string>> cmds{{"HINCRBY", keys::stats_day(day), "contacts:callback:" + caller_type, "1"},
                                             {"EXPIRE", keys::stats_day(day), keep_seconds}};
  co_await record(std::move(cmds));
}

asio::awaitable<void> stats_store::accepted(long long wait_ms) {
  const std::string day = today();
  std::vector<std::vector<std::string>> cmds{{"RPUSH", keys::stats_waits(day), std::to_string(std::max(0LL, wait_ms / 1000))},
                                             {"EXPIRE", keys::stats_waits(day), keep_seconds}};
  co_await record(std::move(cmds));
}

asio::awaitable<void> stats_store::abandoned() {
  const std::string day = today();
  std::vector<std::vector<std::string>> cmds{{"HINCRBY", keys::stats_day(day), "abandoned", "1"},
                                             {"EXPIRE", keys::stats_day(day), keep_seconds}};
  co_await record(std::move(cmds));
}

asio::awaitable<void> stats_store::callback_attempt() {
  const std::string day = today();
  std::vector<std::vector<std::string>> cmds{{"HINCRBY", keys::stats_day(day), "callbacks_made", "1"},
                                             {"EXPIRE", keys::stats_day(day), keep_seconds}};
  co_await record(std::move(cmds));
}

asio::awaitable<void> stats_store::referral(const std::string& programme_type) {
  const std::string day = today();
  std::vector<std::vector<std::string>> cmds{
      {"HINCRBY", keys::stats_day(day), "referrals:" + (programme_type.empty() ? std::string("unspecified") : programme_type), "1"},
      {"EXPIRE", keys::stats_day(day), keep_seconds}};
  co_await record(std::move(cmds));
}

asio::awaitable<json::object> stats_store::report(const std::string& from, const std::string& to) {
  auto first = parse_day(from);
  auto last = parse_day(to);
  if (!first || !last) throw protocol_error("bad_request", "from and to are dates YYYY-MM-DD");
  if (*last < *first) throw protocol_error("bad_request", "from is after to");
  if ((*last - *first).count() >= max_days) throw protocol_error("bad_request", "at most 366 days");

  std::vector<std::string> days;
  std::vector<std::vector<std::string>> cmds;
  for (auto d = *first; d <= *last; d += std::chrono::days{1}) {
    days.push_back(format_day(d));
    cmds.push_back({"HGETALL", keys::stats_day(days.back())});
    cmds.push_back({"HVALS", keys::stats_levels(days.back())});
    cmds.push_back({"LRANGE", keys::stats_waits(days.back()), "0", "-1"});
  }
  auto replies = co_await redis_.pipeline(std::move(cmds));

  json::array per_day;
  json::object levels, referrals;
  for (const char* l : level_names) levels[l] = 0;
  std::vector<long long> waits;
  long long contacts = 0, abandoned_total = 0, callbacks_made = 0;
  for (std::size_t i = 0; i < days.size(); ++i) {
    json::object by_type, by_channel{{"chat", 0}, {"callback", 0}};
    for (const auto& [k, v] : redis_call::to_record(replies[3 * i])) {
      long long n = std::stoll(v);
      if (k.rfind("contacts:", 0) == 0) {
        auto colon = k.find(':', 9);
        add(by_channel, k.substr(9, colon - 9), n);
        add(by_type, k.substr(colon + 1), n);
        contacts += n;
      } else if (k == "abandoned") {
        abandoned_total += n;
      } else if (k == "callbacks_made") {
        callbacks_made += n;
      } else if (k.rfind("referrals:", 0) == 0) {
        add(referrals, k.substr(10), n);
      }
    }
    for (const auto& v : replies[3 * i + 1].as_array()) {
      long long rank = std::clamp(v.as_integer(), 0LL, 4LL);
      add(levels, level_names[rank], 1);
    }
    for (const auto& v : replies[3 * i + 2].as_array()) waits.push_back(v.as_integer());
    per_day.push_back(json::object{{"date", days[i]},
                                   {"contacts", json::object{{"by_caller_type", std::move(by_type)},
                                                             {"by_channel", std::move(by_channel)}}}});
  }
  std::sort(waits.begin(), waits.end());
  json::object wait_stats{{"count", waits.size()},
                          {"median_seconds", waits.empty() ? json::value(nullptr) : json::value(percentile(waits, 0.5))},
                          {"p90_seconds", waits.empty() ? json::value(nullptr) : json::value(percentile(waits, 0.9))}};
  co_return json::object{{"from", from},
                         {"to", to},
                         {"timezone", hours_.timezone()},
                         {"contacts", contacts},
                         {"days", std::move(per_day)},
                         {"risk_levels", std::move(levels)},
                         {"waits", std::move(wait_stats)},
                         {"abandoned", abandoned_total},
                         {"callbacks_made", callbacks_made},
                         {"referrals_by_programme_type", std::move(referrals)}};
}

}  // namespace helpline
