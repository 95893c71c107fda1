#pragma once
// A dedicated pub/sub connection (a subscribed Redis connection cannot run other commands).
//
// Pub/sub is at-most-once: messages published while the connection is down are lost. So after
// every (re)connection the subscriber subscribes again to everything it remembers and then calls
// on_resubscribed, for the owner to resync from Redis whatever it may have missed. See
// docs/redis-client.md.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "redis/backoff.hpp"
#include "redis/options.hpp"

struct redisAsyncContext;

namespace helpline::redis {

namespace asio = boost::asio;
class async_connection;

class subscriber : public std::enable_shared_from_this<subscriber> {
 public:
  // Channels plus patterns remembered for resubscription; subscribe()/psubscribe() beyond this
  // throw error(errc::overloaded) and change nothing.
  static constexpr std::size_t max_subscriptions = 10000;

  using message_handler = std::function<void(std::string_view channel, std::string_view payload)>;

  static std::shared_ptr<subscriber> create(asio::any_io_executor ex, options opts);

  subscriber(const subscriber&) = delete;
  subscriber& operator=(const subscriber&) = delete;
  ~subscriber();

  // Connects in the background and keeps reconnecting with backoff; never blocks.
  void start();
  // Final: closes the connection and stops reconnecting.
  void stop();

  // Thread-safe. Remembered, and sent at once when connected (else on the next connection).
  void subscribe(std::string channel);
  void unsubscribe(std::string channel);
  void psubscribe(std::string pattern);
  void punsubscribe(std::string pattern);

  // Called on the subscriber's strand for each message, in arrival order. For a pattern
  // subscription `channel` is the channel the message was published to. Set before start().
  void on_message(message_handler handler);
  // Called on the subscriber's strand after each (re)connection once every remembered channel and
  // pattern is confirmed subscribed (also after the first connection).
  void on_resubscribed(std::function<void()> handler);

  // True once subscriptions are confirmed on the current connection.
  bool connected() const noexcept { return connected_.load(std::memory_order_acquire); }

 private:
  enum class phase { idle, handshaking, subscribing, ready };

  subscriber(asio::any_io_executor ex, options opts);

  void change_subscription(const char* command, std::string name, bool pattern, bool add);
  // Everything below runs on strand_.
  void begin_connect();
  void open_connection(const std::string& address);
  void on_handshake_reply(std::uint64_t attempt, bool ok, const std::string& text);
  void deliver(const std::string& channel, const std::string& payload);
  void send_subscriptions();
  void on_confirmation(std::uint64_t attempt);
  void become_ready();
  void end_attempt(const std::string& reason);
  void schedule_reconnect();
  static void on_handshake_callback(redisAsyncContext* context, void* raw_reply,
                                    void* privdata) noexcept;
  static void on_pubsub_callback(redisAsyncContext* context, void* raw_reply,
                                 void* privdata) noexcept;

  asio::strand<asio::any_io_executor> strand_;
  const options opts_;
  asio::ip::tcp::resolver resolver_;
  asio::steady_timer connect_timer_;
  asio::steady_timer reconnect_timer_;

  // Strand state.
  std::shared_ptr<async_connection> connection_;
  std::uint64_t attempt_ = 0;
  phase phase_ = phase::idle;
  bool started_ = false;
  bool stopped_ = false;
  std::size_t handshake_left_ = 0;
  std::size_t confirmations_left_ = 0;
  int failures_in_a_row_ = 0;
  backoff backoff_;
  message_handler on_message_;
  std::function<void()> on_resubscribed_;

  // What to subscribe to after a reconnect; guarded by mutex_ (callers add from any thread).
  mutable std::mutex mutex_;
  std::set<std::string> channels_;
  std::set<std::string> patterns_;

  std::atomic<bool> connected_{false};
};

}  // namespace helpline::redis
