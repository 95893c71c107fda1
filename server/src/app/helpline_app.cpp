#include "app/helpline_app.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include "app/advisor_connection.hpp"
#include "app/json_fields.hpp"
#include "app/visitor_connection.hpp"
#include "net/log.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {
constexpr auto heartbeat_every = std::chrono::seconds(5);  // advisors stale after 15 s (route.lua)
constexpr int sweep_every_ticks = 8;
}  // namespace

helpline_content helpline_content::load(const std::filesystem::path& dir) {
  helpline_content c;
  c.engine = triage::screening_engine::load(dir);
  c.scripts = triage::script_catalogue::load(dir);
  c.directory = triage::programme_directory::load(dir / "programmes" / "directory.json");
  // Every table under postcodes/ (the shipped outcodes, and an imported ONS directory if present).
  std::vector<std::filesystem::path> tables;
  for (const auto& e : std::filesystem::directory_iterator(dir / "postcodes")) {
    if (e.path().extension() == ".csv") tables.push_back(e.path());
  }
  std::sort(tables.begin(), tables.end());
  c.postcodes = std::make_shared<const triage::postcode_index>(triage::postcode_index::load(tables));
  c.canned = triage::canned_responses::load(dir / "canned");
  return c;
}

const helpline_content& helpline_app::reload_content() {
  auto next = std::make_unique<const helpline_content>(helpline_content::load(config_.content_dir));
  std::lock_guard lock(content_mutex_);
  const helpline_content* current = next.get();
  content_generations_.push_back(std::move(next));
  content_.store(current, std::memory_order_release);
  return *current;
}

helpline_app::helpline_app(asio::io_context& ioc, app_config config, net::metrics_registry& metrics)
    : ioc_(ioc),
      config_(std::move(config)),
      hours_(config_.hours),
      redis_(redis::client::create(ioc.get_executor(), config_.redis)),
      bus_(redis::subscriber::create(ioc.get_executor(), config_.redis)),
      metrics_(metrics),
      conversations_(redis_call(redis_), config_),
      accounts_(redis_call(redis_), config_.session_lifetime),
      callbacks_(redis_call(redis_), config_, hours_),
      stats_(redis_call(redis_), hours_),
      queue_(ioc.get_executor(), *this),
      loops_(asio::make_strand(ioc)),
      router_timer_(loops_),
      heartbeat_timer_(loops_) {
  content_generations_.push_back(std::make_unique<const helpline_content>(helpline_content::load(config_.content_dir)));
  content_.store(content_generations_.back().get(), std::memory_order_release);
}

helpline_app::~helpline_app() = default;

void helpline_app::start() {
  bus_->on_message([this](std::string_view, std::string_view payload) { on_bus_message(payload); });
  bus_->on_resubscribed([this] { on_bus_resubscribed(); });
  bus_->subscribe("hl:events");
  redis_->on_connected([] { net::log::get("app")->info("redis connected"); });
  redis_->start();
  bus_->start();
  queue_.start();
  asio::co_spawn(loops_, [this] { return router_loop(); }, asio::detached);
  asio::co_spawn(loops_, [this] { return heartbeat_loop(); }, asio::detached);
}

void helpline_app::stop() {
  asio::post(loops_, [this] {
    stopped_ = true;
    router_timer_.cancel();
    heartbeat_timer_.cancel();
  });
  queue_.stop();
  bus_->stop();
  redis_->stop();
}

std::shared_ptr<net::connection_handler> helpline_app::on_open(std::shared_ptr<net::websocket_session> session) {
  if (session->kind() == net::socket_kind::visitor) return std::make_shared<visitor_connection>(*this, session);
  return std::make_shared<advisor_connection>(*this, session);
}

asio::awaitable<bool> helpline_app::ready() {
  try {
    auto r = co_await redis_->call("PING");
    metrics_.redis_up(true);
    co_return r.as_string() == "PONG";
  } catch (const std::exception&) {
    metrics_.redis_up(false);
    co_return false;
  }
}

void helpline_app::append_metrics(std::string& out) {
  out += "# HELP helpline_local_visitors Visitor connections in a conversation on this node\n";
  out += "# TYPE helpline_local_visitors gauge\n";
  out += "helpline_local_visitors " + std::to_string(sessions_.visitor_count()) + "\n";
  out += "# HELP helpline_local_advisors Logged-in advisor connections on this node\n";
  out += "# TYPE helpline_local_advisors gauge\n";
  out += "helpline_local_advisors " + std::to_string(sessions_.advisor_count()) + "\n";
}

asio::awaitable<std::optional<net::http_response>> helpline_app::handle_api(net::http_request_view request) {
  if (request.method == "GET" && request.target == "/api/hours") {
    json::object o = hours_.to_json(std::chrono::system_clock::now());
    co_return net::http_response{200, "application/json", json::serialize(o), {}};
  }
  co_return std::nullopt;
}

asio::awaitable<void> helpline_app::router_loop() {
  int tick = 0;
  bool was_down = false;
  while (!stopped_) {
    router_timer_.expires_after(config_.routing.tick);
    try {
      co_await router_timer_.async_wait(asio::use_awaitable);
    } catch (const boost::system::system_error&) {
    }
    if (stopped_) break;
    if (!redis_->connected()) {
      if (!was_down) net::log::get("router")->warn("redis unreachable: routing paused");
      was_down = true;
      metrics_.redis_up(false);
      continue;
    }
    try {
      co_await conversations_.route(++tick % sweep_every_ticks == 0, stats_.today());
      if (was_down) {
        net::log::get("router")->info("routing resumed");
        queue_.changed();
      }
      was_down = false;
      metrics_.redis_up(true);
    } catch (const std::exception& e) {
      if (!was_down) net::log::get("router")->warn("routing step failed: {}", e.what());
      was_down = true;
    }
  }
}

asio::awaitable<void> helpline_app::heartbeat_loop() {
  while (!stopped_) {
    try {
      long long now = json_fields::now_ms();
      std::vector<std::vector<std::string>> cmds;
      for (const auto& id : sessions_.advisor_ids()) {
        cmds.push_back({"ZADD", "hl:advisors:online", std::to_string(now), id});
      }
      if (!cmds.empty()) co_await conversations_.redis().pipeline(std::move(cmds));
      co_await conversations_.touch_visitors(sessions_.visitor_conversations());
    } catch (const std::exception& e) {
      net::log::get("app")->debug("heartbeat failed: {}", e.what());
    }
    heartbeat_timer_.expires_after(heartbeat_every);
    try {
      co_await heartbeat_timer_.async_wait(asio::use_awaitable);
    } catch (const boost::system::system_error&) {
    }
  }
}

void helpline_app::on_bus_message(std::string_view payload) {
  json::error_code ec;
  json::value parsed = json::parse(payload, ec);
  if (ec || !parsed.is_object()) return;
  auto event = std::make_shared<const json::object>(std::move(parsed.as_object()));
  const auto* kind_v = event->if_contains("kind");
  if (!kind_v || !kind_v->is_string()) return;
  std::string_view kind = kind_v->as_string();
  std::string conv = event->contains("conv") && event->at("conv").is_string()
                         ? std::string(event->at("conv").as_string()) : std::string();
  if (kind == "queue_changed") {
    queue_.changed();
    return;
  }
  if (kind == "content_reload") {
    const auto* node = event->if_contains("node");
    if (node && node->is_string() && node->as_string() == config_.node_id) return;  // done already
    try {
      reload_content();
      net::log::get("app")->info("content reloaded (asked by another node)");
    } catch (const std::exception& e) {
      net::log::get("app")->error("content reload failed; the previous content stays: {}", e.what());
    }
    return;
  }
  if (!conv.empty()) {
    for (const auto& v : sessions_.visitors(conv)) v->post_event(event);
  }
  if (kind == "msg" || kind == "typing") {
    for (const auto& a : sessions_.watchers(conv)) a->post_event(event);
    return;
  }
  // Offers, state changes, risk, alerts, callbacks: each advisor connection decides (its own
  // offers, its conversations, supervisors see all).
  for (const auto& a : sessions_.all_advisors()) a->post_event(event);
}

void helpline_app::on_bus_resubscribed() {
  // Pub/sub is at-most-once: whatever was published while we were away is fetched from Redis.
  for (const auto& v : sessions_.all_visitors()) v->post_resync();
  for (const auto& a : sessions_.all_advisors()) a->post_resync();
  queue_.changed();
}

}  // namespace helpline
