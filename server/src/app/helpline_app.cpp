#include "app/helpline_app.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/advisor_connection.hpp"
#include "app/ids.hpp"
#include "app/keys.hpp"
#include "app/protocol_error.hpp"
#include "app/visitor_connection.hpp"
#include "net/log.hpp"
#include "triage/content_error.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {
constexpr int sweep_every_ticks = 8;
}  // namespace

std::shared_ptr<const helpline_content> helpline_app::content() const {
  std::lock_guard lock(content_mutex_);
  return content_;
}

std::shared_ptr<const helpline_content> helpline_app::reload_content() {
  auto next = std::make_shared<const helpline_content>(helpline_content::load(config_.content_dir, config_.screening_model));
  std::lock_guard lock(content_mutex_);
  content_ = next;
  return next;
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
      advisors_(redis_call(redis_)),
      events_(redis_call(redis_)),
      settings_(redis_call(redis_)),
      callbacks_(redis_call(redis_), config_, hours_),
      stats_(redis_call(redis_), hours_),
      queue_(ioc.get_executor(), *this),
      loops_(asio::make_strand(ioc)),
      router_timer_(loops_),
      heartbeat_timer_(loops_) {
  content_ = std::make_shared<const helpline_content>(helpline_content::load(config_.content_dir, config_.screening_model));
}

helpline_app::~helpline_app() = default;

void helpline_app::start() {
  bus_->on_message([this](std::string_view, std::string_view payload) { on_bus_message(payload); });
  bus_->on_resubscribed([this] { on_bus_resubscribed(); });
  bus_->subscribe(keys::events);
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
  if (request.target.starts_with("/api/admin/directory")) co_return co_await directory_api(std::move(request));
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
    if (!hours_loaded_) co_await apply_stored_hours();
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
      co_await advisors_.heartbeat(sessions_.advisor_ids());
      co_await conversations_.touch_visitors(sessions_.visitor_conversations());
    } catch (const std::exception& e) {
      net::log::get("app")->debug("heartbeat failed: {}", e.what());
    }
    heartbeat_timer_.expires_after(advisor_heartbeat);
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
  if (kind == "hours_changed") {
    const auto* node = event->if_contains("node");
    if (!(node && node->is_string() && node->as_string() == config_.node_id)) {
      asio::co_spawn(loops_, [this] { return apply_stored_hours(); }, asio::detached);
    }
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
  asio::co_spawn(loops_, [this] { return apply_stored_hours(); }, asio::detached);
}

asio::awaitable<void> helpline_app::set_hours(const json::value& hours) {
  hours_config parsed;
  try {
    parsed = parse_hours(hours);
    hours_.replace(parsed);
  } catch (const config_error& e) {
    throw protocol_error("bad_request", e.what());
  }
  const std::string stored = json::serialize(hours_.config_json());
  co_await settings_.set_hours(stored);
  co_await events_.hours_changed(config_.node_id);
  net::log::get("app")->info("opening hours changed by an administrator");
}

// Runs on loops_. While Redis is unreachable the router applies the stored hours once it is back
// (hours_loaded_), so a node that starts before Redis does not keep the file's hours.
asio::awaitable<void> helpline_app::apply_stored_hours() {
  if (!redis_->connected()) {
    hours_loaded_ = false;
    co_return;
  }
  std::optional<std::string> stored;
  try {
    stored = co_await settings_.hours();
  } catch (const std::exception& e) {
    hours_loaded_ = false;  // retried by the router on its next tick
    net::log::get("app")->warn("stored opening hours not read yet; will retry: {}", e.what());
    co_return;
  }
  hours_loaded_ = true;
  if (!stored) co_return;  // never edited: the configuration file's hours stand
  try {
    hours_.replace(parse_hours(json::parse(*stored)));
  } catch (const std::exception& e) {
    net::log::get("app")->error("stored opening hours not applied; keeping the current ones: {}", e.what());
  }
}

namespace {
net::http_response json_answer(unsigned status, const json::object& body) {
  return net::http_response{status, "application/json", json::serialize(body), {}};
}
}  // namespace

// The programme directory is larger than a WebSocket frame, so administrators edit it over HTTP,
// authenticated with their console session token (a header, never a cookie: no CSRF).
asio::awaitable<net::http_response> helpline_app::directory_api(net::http_request_view request) {
  std::string_view auth = request.header("Authorization");
  if (!auth.starts_with("Bearer ")) co_return json_answer(401, {{"error", "not_authenticated"}});
  try {
    auto session = co_await accounts_.login_with_token(std::string(auth.substr(7)));
    if (session.who.user_role < role::admin) co_return json_answer(403, {{"error", "forbidden"}});
  } catch (const protocol_error& e) {
    co_return json_answer(e.code() == "unavailable" ? 503 : 401, {{"error", e.code()}});
  }
  const auto file = config_.content_dir / "programmes" / "directory.json";
  const std::string_view path = request.target.substr(0, request.target.find('?'));
  if (request.method == "GET" && path == "/api/admin/directory") {
    std::ifstream in(file, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    co_return net::http_response{200, "application/json", text.str(), {}};
  }
  const bool validate_only = request.method == "POST" && path == "/api/admin/directory/validate";
  const bool import = request.method == "PUT" && path == "/api/admin/directory";
  if (!validate_only && !import) co_return json_answer(404, {{"error", "not_found"}});

  // Validate by loading it exactly as the server will: a file next to the real one.
  const auto candidate = file.parent_path() / ("directory.json.candidate-" + ids::random_id(""));
  {
    std::ofstream out(candidate, std::ios::binary | std::ios::trunc);
    out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
    if (!out) co_return json_answer(500, {{"error", "internal"}, {"message", "cannot write the content folder"}});
  }
  // Messages name the file as the administrator knows it: not the temporary copy, no server path.
  auto as_known = [&](std::string message) {
    for (const std::string& p : {candidate.string(), candidate.filename().string()}) {
      for (auto at = message.find(p); at != std::string::npos; at = message.find(p)) {
        message.replace(at, p.size(), "directory.json");
      }
    }
    return message;
  };
  std::size_t programmes = 0;
  json::array warnings;
  try {
    auto directory = triage::programme_directory::load(candidate);
    programmes = directory->programmes().size();
    for (const auto& w : directory->warnings()) warnings.emplace_back(as_known(w));
  } catch (const std::exception& e) {
    std::filesystem::remove(candidate);
    json::array errors;
    if (const auto* content = dynamic_cast<const triage::content_error*>(&e)) {
      for (const auto& p : content->problems()) errors.emplace_back(as_known(p));
    } else {
      errors.emplace_back(as_known(e.what()));
    }
    co_return json_answer(validate_only ? 200 : 422, {{"ok", false}, {"errors", std::move(errors)}});
  }
  if (validate_only) {
    std::filesystem::remove(candidate);
    co_return json_answer(200, {{"ok", true}, {"programmes", programmes}, {"warnings", std::move(warnings)}});
  }
  // Import: keep the previous file, switch atomically, reload everything; undo on failure.
  const auto previous = file.parent_path() / "directory.json.previous";
  std::filesystem::copy_file(file, previous, std::filesystem::copy_options::overwrite_existing);
  std::filesystem::rename(candidate, file);
  try {
    reload_content();
  } catch (const std::exception& e) {
    std::filesystem::rename(previous, file);
    co_return json_answer(422, {{"ok", false}, {"errors", json::array{json::string(e.what())}}});
  }
  co_await events_.content_reload(config_.node_id);
  net::log::get("app")->info("programme directory imported by an administrator ({} programmes)", programmes);
  co_return json_answer(200, {{"ok", true}, {"programmes", programmes}, {"warnings", std::move(warnings)}});
}

}  // namespace helpline
