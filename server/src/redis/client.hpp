#pragma once
// The asynchronous Redis client: commands on one reconnecting_connection, driven from one strand.
//
// Callers co_await command()/pipeline()/eval() from any executor and resume on their own executor.
// No call blocks: while disconnected commands fail at once with errc::connection, and at most
// options::max_pending commands are in flight (beyond -> errc::overloaded). Connecting, the
// handshake, reconnecting and backoff belong to reconnecting_connection; this class keeps the
// commands in flight, their replies and their timeouts. See docs/redis-client.md.
#include <atomic>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "redis/error.hpp"
#include "redis/options.hpp"
#include "redis/reconnecting_connection.hpp"
#include "redis/reply.hpp"
#include "redis/script.hpp"

struct redisReply;

namespace helpline::redis {

namespace asio = boost::asio;

class client : public std::enable_shared_from_this<client>, private reconnecting_connection::owner {
 public:
  static std::shared_ptr<client> create(asio::any_io_executor ex, options opts);

  client(const client&) = delete;
  client& operator=(const client&) = delete;
  ~client() override;

  // Connects in the background and keeps reconnecting with backoff; never blocks.
  void start();
  // Final: fails every pending command with errc::closed, closes the connection and stops
  // reconnecting. Later commands fail with errc::closed.
  void stop();

  // True between a completed handshake (AUTH/SELECT/PING answered) and the loss of the connection.
  bool connected() const noexcept {
    return link_->current_state() == reconnecting_connection::state::ready;
  }
  // Commands in flight (for metrics and tests).
  std::size_t pending() const noexcept { return pending_count_.load(std::memory_order_acquire); }

  // One command. An error reply throws error(errc::server, text); see errc for the other failures.
  // Thread-safe; resumes the caller on the caller's executor.
  asio::awaitable<reply> command(std::vector<std::string> args);

  // command() without a braced list: co_await c->call("HGET", key, field). GCC 12 cannot compile
  // a braced initializer list inside a co_await expression ("array used as initializer"), so
  // `co_await c->command({"GET", key})` fails to build; use call(), or build the vector first.
  // Arguments: anything a std::string can be made from, or an integer.
  template <typename... Args>
  asio::awaitable<reply> call(const Args&... args) {
    std::vector<std::string> argv;
    argv.reserve(sizeof...(Args));
    (argv.push_back(to_argument(args)), ...);
    return command(std::move(argv));
  }

  // Several commands written at once, replies in order (no MULTI/EXEC implied). Error replies stay
  // in place as reply::kind::error (their accessors throw errc::server); connection-level failures
  // throw for the whole pipeline.
  asio::awaitable<std::vector<reply>> pipeline(std::vector<std::vector<std::string>> commands);

  // EVALSHA; on NOSCRIPT (Redis restarted or SCRIPT FLUSH) runs EVAL with the source, which also
  // caches the script again. Error replies (including a script's own "ERR conflict") throw
  // errc::server with the text.
  asio::awaitable<reply> eval(const script& s, std::vector<std::string> keys,
                              std::vector<std::string> args);

  // Called on the client's strand each time a connection is (re)established; used to resync state.
  void on_connected(std::function<void()> handler);

 private:
  using clock = std::chrono::steady_clock;
  using completion = asio::any_completion_handler<void(std::exception_ptr, std::vector<reply>)>;

  // Built in place and only ever move-constructed: Boost 1.81's any_completion_handler move
  // assignment recurses without end, so a completion is never assigned.
  struct pending_op {
    pending_op(std::size_t expected_replies, clock::time_point reply_deadline,
               asio::any_io_executor caller_executor, completion completion_handler)
        : expected(expected_replies),
          deadline(reply_deadline),
          caller(std::move(caller_executor)),
          handler(std::move(completion_handler)) {}
    pending_op(pending_op&&) = default;
    pending_op& operator=(pending_op&&) = delete;

    std::size_t expected;  // replies still to come = expected - replies.size()
    std::vector<reply> replies;
    clock::time_point deadline;
    asio::any_io_executor caller;  // where the handler resumes
    completion handler;
  };

  client(asio::any_io_executor ex, options opts);

  template <typename T>
  static std::string to_argument(const T& value) {
    if constexpr (std::is_integral_v<T>) {
      return std::to_string(value);
    } else {
      return std::string(value);
    }
  }

  struct initiate_execute;
  asio::awaitable<std::vector<reply>> execute(std::vector<std::vector<std::string>> commands);

  // Everything below runs on strand_.
  void submit(std::vector<std::vector<std::string>> commands, asio::any_io_executor caller,
              completion handler);
  std::uint64_t register_op(std::size_t expected, asio::any_io_executor caller, completion handler);
  void complete(pending_op op, std::exception_ptr failure);
  void fail_op(std::uint64_t id, const error& failure);
  void fail_all(const error& why);
  error lost_error(const pending_op& op, const error& why) const;
  void handle_reply(std::uint64_t id, const redisReply* raw_reply);
  void arm_watchdog();
  void check_timeouts();

  // reconnecting_connection::owner
  void on_established() override;
  void on_ready() override;
  void on_down(const error& why) override;
  void on_reply(const redisReply* raw_reply, std::uint64_t id) noexcept override;

  asio::strand<asio::any_io_executor> strand_;
  const options opts_;
  std::shared_ptr<reconnecting_connection> link_;  // the same strand_
  asio::steady_timer watchdog_;

  // Strand state.
  bool watchdog_armed_ = false;
  clock::time_point timeout_cutoff_;  // ops with a deadline up to here failed with errc::timeout
  std::function<void()> on_connected_;
  // Bounded by options::max_pending; keyed by id = submission order, so begin() is the oldest
  // command and the first to time out.
  std::map<std::uint64_t, pending_op> ops_;
  std::uint64_t next_id_ = 1;

  std::atomic<std::size_t> pending_count_{0};
};

}  // namespace helpline::redis
