#include "app/redis_call.hpp"

#include <array>
#include <atomic>
#include <chrono>

#include "app/keys.hpp"
#include "app/protocol_error.hpp"
#include "net/log.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace {

constexpr std::array<std::string_view, 8> script_codes{
    "wrong_state", "conflict", "not_found", "forbidden", "limit_reached", "bad_request", "locked", "watching"};

// While Redis is down every caller fails, several times a second; one line per interval says so
// without burying the rest of the log.
void warn_unavailable(const redis::error& e) {
  constexpr long long interval_ms = 10'000;
  static std::atomic<long long> last_ms{-interval_ms};
  static std::atomic<long long> suppressed{0};
  const long long now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now().time_since_epoch()).count();
  long long previous = last_ms.load();
  if (now - previous < interval_ms || !last_ms.compare_exchange_strong(previous, now)) {
    suppressed.fetch_add(1);
    return;
  }
  const long long hidden = suppressed.exchange(0);
  net::log::get("app")->warn("redis unavailable: {} ({}); {} similar failures in the last interval not logged",
                             redis::to_string(e.code()), e.what(), hidden);
}

[[noreturn]] void rethrow(const redis::error& e) {
  if (e.code() == redis::errc::server) {
    std::string_view msg = e.detail();
    if (msg.rfind("ERR ", 0) == 0) msg.remove_prefix(4);
    for (auto code : script_codes) {
      if (msg == code) throw protocol_error(std::string(code), "refused: " + std::string(code));
    }
    net::log::get("app")->error("redis error reply: {}", e.what());
    throw protocol_error("internal", "storage refused the request");
  }
  warn_unavailable(e);
  throw protocol_error("unavailable", "storage is unavailable; nothing was changed, please retry");
}

}  // namespace

asio::awaitable<redis::reply> redis_call::command(std::vector<std::string> args) const {
  try {
    co_return co_await client_->command(std::move(args));
  } catch (const redis::error& e) {
    rethrow(e);
  }
}

asio::awaitable<redis::reply> redis_call::run(script_call call) const {
  try {
    co_return co_await client_->eval(*call.script, std::move(call.keys), std::move(call.args));
  } catch (const redis::error& e) {
    rethrow(e);
  }
}

asio::awaitable<std::vector<redis::reply>> redis_call::pipeline(std::vector<std::vector<std::string>> cmds) const {
  try {
    co_return co_await client_->pipeline(std::move(cmds));
  } catch (const redis::error& e) {
    rethrow(e);
  }
}

record redis_call::to_record(const redis::reply& flat_pairs) {
  record r;
  if (flat_pairs.type != redis::reply::kind::array) return r;
  const auto& e = flat_pairs.elements;
  for (std::size_t i = 0; i + 1 < e.size(); i += 2) r.emplace(e[i].str, e[i + 1].str);
  return r;
}

asio::awaitable<record> redis_call::hgetall(const std::string& key) const {
  co_return to_record(co_await call("HGETALL", key));
}

asio::awaitable<void> redis_call::publish(const std::string& payload) const {
  co_await call("PUBLISH", keys::events, payload);
}

}  // namespace helpline
