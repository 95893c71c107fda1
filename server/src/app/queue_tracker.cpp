#include "app/queue_tracker.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "app/advisor_connection.hpp"
#include "app/app_services.hpp"
#include "app/json_fields.hpp"
#include "app/visitor_connection.hpp"
#include "net/log.hpp"
#include "triage/risk_level.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {
constexpr auto poll = std::chrono::milliseconds(200);
constexpr auto refresh_every = std::chrono::seconds(3);  // waits and estimates drift with time
constexpr std::size_t advisor_detail_limit = 200;         // entries advisors see in full

}  // namespace

json::object queue_position::to_json() const {
  return {{"type", "queue"},
          {"position", position},
          {"estimated_wait_seconds",
           estimated_wait_seconds ? json::value(*estimated_wait_seconds) : json::value(nullptr)},
          {"advisors_online", advisors_online},
          {"prioritised", prioritised}};
}

queue_tracker::queue_tracker(asio::any_io_executor ex, app_services& app)
    : app_(app), strand_(asio::make_strand(ex)), timer_(strand_) {
  snapshot_ = {{"type", "queue"}, {"entries", json::array()}};
}

void queue_tracker::start() {
  asio::co_spawn(strand_, [this] { return run(); }, asio::detached);
}

void queue_tracker::stop() {
  asio::post(strand_, [this] {
    stopped_ = true;
    timer_.cancel();
  });
}

void queue_tracker::changed() {
  asio::post(strand_, [this] { dirty_ = true; });
}

std::optional<queue_position> queue_tracker::position_of(const std::string& conversation) const {
  std::lock_guard lock(mutex_);
  auto it = positions_.find(conversation);
  if (it == positions_.end()) return std::nullopt;
  return it->second;
}

json::object queue_tracker::advisor_snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

asio::awaitable<void> queue_tracker::run() {
  auto last = std::chrono::steady_clock::now() - refresh_every;
  while (!stopped_) {
    timer_.expires_after(poll);
    try {
      co_await timer_.async_wait(asio::use_awaitable);
    } catch (const boost::system::system_error&) {
      if (stopped_) co_return;
    }
    auto now = std::chrono::steady_clock::now();
    if (!dirty_ && now - last < refresh_every) continue;
    dirty_ = false;
    last = now;
    try {
      co_await refresh();
    } catch (const std::exception& e) {
      dirty_ = true;  // Redis away: try again next time
      net::log::get("queue")->debug("queue refresh failed: {}", e.what());
    }
  }
}

asio::awaitable<void> queue_tracker::refresh() {
  auto& store = app_.conversations();
  auto entries = co_await store.queue(advisor_detail_limit);
  auto waiting = co_await store.whole_queue();
  long long now = json_fields::now_ms();

  // Advisors available now, and their free capacity, for the estimate.
  const auto advisors = co_await app_.advisors().available();
  const int available = static_cast<int>(advisors.size());
  long long slots = 0;
  for (const auto& a : advisors) slots += a.capacity;
  auto handle = co_await store.recent_handle_times_ms();
  long long avg_ms = std::chrono::duration_cast<std::chrono::milliseconds>(app_.config().routing.default_handle_time).count();
  if (!handle.empty()) {
    long long sum = 0;
    for (auto h : handle) sum += h;
    avg_ms = std::max(30'000LL, sum / static_cast<long long>(handle.size()));
  }

  // Advisors see the first entries in detail; every visitor gets a position, however long the
  // queue (a flood must not leave the ones beyond the detail limit without an answer).
  json::array snapshot_entries;
  for (const auto& e : entries) {
    json::array categories;
    for (const auto& c : e.categories) categories.emplace_back(c);
    snapshot_entries.push_back(json::object{
        {"id", e.id},
        {"caller_type", e.caller_type},
        {"lang", e.lang},
        {"screening_unavailable", !e.visitor_lang.empty()},
        {"visitor_lang", e.visitor_lang.empty() ? json::value(nullptr) : json::value(e.visitor_lang)},
        {"level", e.level},
        {"categories", std::move(categories)},
        {"waited_seconds", e.queued_at ? (now - e.queued_at) / 1000 : 0},
        {"state", e.state},
        {"answers", e.answers},
        {"presence", e.presence.empty() ? std::string("connected") : e.presence},
        {"offered_to", e.offered_to.empty() ? json::value(nullptr) : json::value(e.offered_to)},
        {"transfer", e.transfer_to.empty() ? json::value(nullptr) : json::value(e.transfer_to)}});
  }

  std::map<std::string, queue_position> positions;
  std::array<std::size_t, 5> by_level{};
  std::size_t away = 0;
  int position = 0;
  for (const auto& w : waiting) {
    // A visitor who left (closed the tab, lost the network) keeps their place for a while but is
    // not counted: positions, waits and the gauge are those of people who are there.
    if (!w.visitor_connected()) {
      ++away;
      continue;
    }
    ++position;
    queue_position p;
    p.position = position;
    p.advisors_online = available;
    if (slots > 0) {
      // Everyone ahead (and this visitor) is served by `slots` parallel advisors.
      long long rounds = (position + slots - 1) / slots;
      long long seconds = rounds * avg_ms / 1000;
      p.estimated_wait_seconds = (seconds + 29) / 30 * 30;  // 30 s steps: stable, not jittery
    }
    auto level = triage::parse_risk_level(w.level).value_or(triage::risk_level::none);
    p.prioritised = level >= triage::risk_level::high;
    positions[w.id] = p;
    ++by_level[static_cast<std::size_t>(level)];
  }
  for (std::size_t i = 0; i < by_level.size(); ++i) app_.metrics().queue_length(i, by_level[i]);
  app_.metrics().queue_away(away);
  app_.metrics().advisors_available(static_cast<std::size_t>(available));

  // `total`: everyone waiting, when the detail stops at the first advisor_detail_limit.
  json::object snapshot{{"type", "queue"},
                        {"entries", std::move(snapshot_entries)},
                        {"total", waiting.size()},
                        {"advisors_available", available}};
  {
    std::lock_guard lock(mutex_);
    positions_ = positions;
    snapshot_ = snapshot;
  }
  for (const auto& conv : app_.sessions().visitor_conversations()) {
    auto it = positions.find(conv);
    if (it == positions.end()) continue;
    for (const auto& v : app_.sessions().visitors(conv)) v->post_queue(it->second);
  }
  auto shared = std::make_shared<const json::object>(std::move(snapshot));
  for (const auto& a : app_.sessions().all_advisors()) a->post_queue_snapshot(shared);
}

}  // namespace helpline
