#pragma once
// A dedicated pub/sub connection (a subscribed Redis connection cannot run other commands), on its
// own reconnecting_connection, which connects, handshakes, reconnects and backs off; this class
// keeps the channel set, subscribes after each connection and dispatches messages.
//
// Pub/sub is at-most-once: messages published while the connection is down are lost. So after
// every (re)connection the subscriber subscribes again to everything it remembers and then calls
// on_resubscribed, for the owner to resync from Redis whatever it may have missed. See
// docs/redis-client.md.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "redis/error.hpp"
#include "redis/options.hpp"
#include "redis/reconnecting_connection.hpp"

struct redisReply;

namespace helpline::redis {

namespace asio = boost::asio;

class subscriber : public std::enable_shared_from_this<subscriber>,
                   private reconnecting_connection::owner {
 public:
  // Channels plus patterns remembered for resubscription; subscribe()/psubscribe() beyond this
  // throw error(errc::overloaded) and change nothing.
  static constexpr std::size_t max_subscriptions = 10000;

  using message_handler = std::function<void(std::string_view channel, std::string_view payload)>;

  static std::shared_ptr<subscriber> create(asio::any_io_executor ex, options opts);

  subscriber(const subscriber&) = delete;
  subscriber& operator=(const subscriber&) = delete;
  ~subscriber() override;

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
  bool connected() const noexcept {
    return link_->current_state() == reconnecting_connection::state::ready;
  }

 private:
  subscriber(asio::any_io_executor ex, options opts);

  void change_subscription(const char* command, std::string name, bool pattern, bool add);
  // Everything below runs on strand_.
  void send_subscriptions();
  void on_confirmation(std::uint64_t attempt);
  void deliver(const std::string& channel, const std::string& payload);

  // reconnecting_connection::owner
  void on_established() override;
  void on_ready() override;
  void on_down(const error& why) override;
  void on_reply(const redisReply* raw_reply, std::uint64_t attempt) noexcept override;

  asio::strand<asio::any_io_executor> strand_;
  std::shared_ptr<reconnecting_connection> link_;  // the same strand_

  // Strand state.
  bool subscribing_ = false;  // subscriptions sent on this connection, not all confirmed yet
  std::size_t confirmations_left_ = 0;
  message_handler on_message_;
  std::function<void()> on_resubscribed_;

  // What to subscribe to after a reconnect; guarded by mutex_ (callers add from any thread).
  mutable std::mutex mutex_;
  std::set<std::string> channels_;
  std::set<std::string> patterns_;
};

}  // namespace helpline::redis
