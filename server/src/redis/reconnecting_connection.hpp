#pragma once
// One Redis connection that keeps itself up: resolve, connect, handshake, reconnect with bounded
// exponential backoff, stop. client and subscriber each sit on one of these and keep only what is
// theirs (the client its commands in flight, the subscriber its channels and messages).
//
//   idle --start()--> connecting --handshake answered, owner ready--> ready
//     connecting / ready --failure, loss, reset()--> backing_off --delay--> connecting
//     any --stop()--> stopped (final)
//
// Handshake: AUTH (when a password is set), SELECT (when db != 0), PING, so "ready" means the
// server answers, not merely accepts TCP. hiredis 0.14 speaks RESP2 only, so there is no HELLO.
// The whole attempt -- resolving, connecting, the handshake and the owner's own setup (the
// subscriber's SUBSCRIBEs) -- must finish within options::connect_timeout.
//
// Everything runs on the strand given to create(); the owner must use the same strand. Only
// start(), stop(), on_state_change(), current_state() and last_error() may be called from any
// thread.
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "redis/backoff.hpp"
#include "redis/error.hpp"
#include "redis/options.hpp"

struct redisAsyncContext;
struct redisReply;

namespace helpline::redis {

namespace asio = boost::asio;
class async_connection;

class reconnecting_connection : public std::enable_shared_from_this<reconnecting_connection> {
 public:
  using strand_type = asio::strand<asio::any_io_executor>;

  enum class state {
    idle,         // created, start() not yet run
    connecting,   // resolving, connecting, handshaking or waiting for the owner's setup
    ready,        // the owner can use the connection
    backing_off,  // the last attempt failed or the connection was lost; waiting to retry
    stopped,      // stop() ran: final
  };

  // What client and subscriber add to the lifecycle. Every call is made on the strand; all but
  // on_reply() run outside hiredis, so they may call back into the connection (mark_ready(),
  // reset(), send()). The connection holds its owner weakly: a destroyed owner is never called.
  class owner {
   public:
    // The handshake was answered: send() works from now on. Call mark_ready() once the owner's
    // own setup is done (the client at once; the subscriber when its subscriptions are confirmed).
    virtual void on_established() = 0;
    // The connection became ready (after the first connection and after every reconnection).
    virtual void on_ready() = 0;
    // The current attempt or connection ended; `why` says why: errc::closed after stop(), the
    // error given to reset(), errc::server when the handshake was refused (wrong password, bad db
    // index), errc::connection otherwise. Commands still waiting for a reply will never get one.
    virtual void on_down(const error& why) = 0;
    // A reply to a command sent with send(`tag`). Runs inside hiredis: must not throw, must not
    // call back into the connection, should post anything substantial. A null reply means hiredis
    // is freeing the context; on_down() follows, outside hiredis, and is the place to react.
    virtual void on_reply(const redisReply* reply, std::uint64_t tag) noexcept = 0;

   protected:
    virtual ~owner() = default;
  };

  // `name` prefixes log lines ("redis", "redis subscriber").
  static std::shared_ptr<reconnecting_connection> create(strand_type strand, options opts,
                                                         std::string name);

  reconnecting_connection(const reconnecting_connection&) = delete;
  reconnecting_connection& operator=(const reconnecting_connection&) = delete;
  ~reconnecting_connection();

  // Before start(), from the thread that created the connection.
  void set_owner(std::weak_ptr<owner> o) { owner_ = std::move(o); }
  // For metrics and tests: called on the strand at every state change. Set before start().
  void on_state_change(std::function<void(state)> handler);

  // Thread-safe. Connects in the background and keeps reconnecting; never blocks.
  void start();
  // Thread-safe and final: closes the connection (the owner gets on_down(errc::closed)), cancels
  // any pending attempt or backoff delay at once, and never reconnects.
  void stop();

  // Thread-safe.
  state current_state() const noexcept { return state_.load(std::memory_order_acquire); }
  // Why the latest attempt or connection ended (nullopt until one has), as a typed error.
  std::optional<error> last_error() const;

  // Strand only. Drops the current attempt or connection (the owner gets on_down(why)) and
  // reconnects after the backoff delay. Ignored unless connecting or ready.
  void reset(const error& why);
  // Strand only. The owner's setup is done: the connection becomes ready. Ignored unless the
  // handshake of the current attempt was answered and the connection is not yet ready.
  void mark_ready();
  // Strand only. True while the current connection is alive and its handshake was answered.
  bool established() const noexcept;
  // Strand only. Identifies the current attempt; it changes whenever one ends, so an owner can
  // tell a stale posted reply from a current one.
  std::uint64_t attempt() const noexcept { return attempt_; }
  // Strand only. Queues one command; the reply goes to owner::on_reply(reply, tag). Returns false
  // (and on_reply() will never run for it) when not established() or hiredis refuses it.
  bool send(const std::vector<std::string>& args, std::uint64_t tag);

 private:
  reconnecting_connection(strand_type strand, options opts, std::string name);

  void begin_connect();
  void open_connection(const std::string& address);
  void on_handshake_reply(std::uint64_t attempt, bool ok, const std::string& text);
  void end_attempt(const error& why, bool final);
  void schedule_reconnect();
  void set_state(state s);
  static void handshake_callback(redisAsyncContext* context, void* raw_reply,
                                 void* privdata) noexcept;
  static void owner_callback(redisAsyncContext* context, void* raw_reply, void* privdata) noexcept;

  strand_type strand_;
  const options opts_;
  const std::string name_;
  asio::ip::tcp::resolver resolver_;
  asio::steady_timer connect_timer_;
  asio::steady_timer reconnect_timer_;

  // Strand state.
  std::weak_ptr<owner> owner_;
  std::function<void(state)> on_state_change_;
  std::shared_ptr<async_connection> connection_;
  std::uint64_t attempt_ = 0;  // bumped whenever an attempt ends: stale callbacks compare it
  bool established_ = false;   // the handshake of the current attempt was answered
  std::size_t handshake_left_ = 0;
  int failures_in_a_row_ = 0;  // only the first failed attempt of a series is logged as a warning
  backoff backoff_;

  std::atomic<state> state_{state::idle};  // written on the strand, read anywhere
  mutable std::mutex last_error_mutex_;
  std::optional<error> last_error_;
};

std::string_view to_string(reconnecting_connection::state s) noexcept;

}  // namespace helpline::redis
