#include "redis/client.hpp"

#include <hiredis/async.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>
#include <utility>

#include "redis/async_connection.hpp"

namespace helpline::redis {

namespace {
void* id_to_privdata(std::uint64_t id) {
  return reinterpret_cast<void*>(
      static_cast<std::uintptr_t>(id));  // NOLINT(performance-no-int-to-ptr)
}

std::uint64_t privdata_to_id(void* privdata) {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(privdata));
}

void check_not_empty(const std::vector<std::string>& args) {
  if (args.empty()) {
    throw std::invalid_argument("redis command without arguments");
  }
}
}  // namespace

std::shared_ptr<client> client::create(asio::any_io_executor ex, options opts) {
  return std::shared_ptr<client>(new client(std::move(ex), std::move(opts)));
}

client::client(asio::any_io_executor ex, options opts)
    : strand_(asio::make_strand(std::move(ex))),
      opts_(std::move(opts)),
      resolver_(strand_),
      connect_timer_(strand_),
      reconnect_timer_(strand_),
      watchdog_(strand_),
      backoff_(opts_.reconnect_min, opts_.reconnect_max) {}

client::~client() {
  // Normally stop() has run. If not, no handler holds this client any more: close quietly (the
  // lost handler holds a weak pointer and will find nothing).
  stopped_ = true;
  if (connection_) {
    connection_->close();
  }
}

void client::start() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->started_ || self->stopped_) {
      return;
    }
    self->started_ = true;
    self->begin_connect();
  });
}

void client::stop() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->stopped_) {
      return;
    }
    self->stopped_ = true;
    self->end_attempt("client stopped");
    self->reconnect_timer_.cancel();
    self->watchdog_.cancel();
  });
}

void client::on_connected(std::function<void()> handler) {
  asio::post(strand_, [self = shared_from_this(), h = std::move(handler)]() mutable {
    self->on_connected_ = std::move(h);
  });
}

asio::awaitable<reply> client::command(std::vector<std::string> args) {
  check_not_empty(args);
  std::vector<std::vector<std::string>> commands;
  commands.push_back(std::move(args));
  std::vector<reply> replies = co_await execute(std::move(commands));
  if (replies.front().is_error()) {
    throw error_from_reply(std::move(replies.front().str));
  }
  co_return std::move(replies.front());
}

asio::awaitable<std::vector<reply>> client::pipeline(
    std::vector<std::vector<std::string>> commands) {
  if (commands.empty()) {
    co_return std::vector<reply>{};
  }
  for (const auto& args : commands) {
    check_not_empty(args);
  }
  co_return co_await execute(std::move(commands));
}

asio::awaitable<reply> client::eval(const script& s, std::vector<std::string> keys,
                                    std::vector<std::string> args) {
  std::vector<std::string> evalsha;
  evalsha.reserve(3 + keys.size() + args.size());
  evalsha.emplace_back("EVALSHA");
  evalsha.push_back(s.sha1());
  evalsha.push_back(std::to_string(keys.size()));
  std::move(keys.begin(), keys.end(), std::back_inserter(evalsha));
  std::move(args.begin(), args.end(), std::back_inserter(evalsha));

  std::vector<std::vector<std::string>> commands{evalsha};
  std::vector<reply> replies = co_await execute(std::move(commands));
  if (replies.front().is_error() && replies.front().str.starts_with("NOSCRIPT")) {
    // The script cache is empty after a restart or SCRIPT FLUSH: EVAL runs it and caches it again.
    evalsha[0] = "EVAL";
    evalsha[1] = s.source();
    commands.clear();
    commands.push_back(std::move(evalsha));
    replies = co_await execute(std::move(commands));
  }
  if (replies.front().is_error()) {
    throw error_from_reply(std::move(replies.front().str));
  }
  co_return std::move(replies.front());
}

// Starts one batch of commands: hands it to the strand with the caller's executor.
struct client::initiate_execute {
  std::shared_ptr<client> self;

  template <typename Handler>
  void operator()(Handler&& handler, std::vector<std::vector<std::string>> commands) const {
    // For an awaitable this is the coroutine's executor: where the caller must resume.
    asio::any_io_executor caller = asio::get_associated_executor(handler, self->strand_);
    asio::post(self->strand_, [self = self, caller = std::move(caller),
                               h = completion(std::forward<Handler>(handler)),
                               commands = std::move(commands)]() mutable {
      self->submit(std::move(commands), std::move(caller), std::move(h));
    });
  }
};

// Deliberately not a coroutine: GCC 12 mis-destroys temporaries (double release of a captured
// shared_ptr) when a lambda is built inside a co_await expression.
asio::awaitable<std::vector<reply>> client::execute(
    std::vector<std::vector<std::string>> commands) {
  // The initiation holds the client alive while the caller waits.
  return asio::async_initiate<decltype(asio::use_awaitable),
                              void(std::exception_ptr, std::vector<reply>)>(
      initiate_execute{shared_from_this()}, asio::use_awaitable, std::move(commands));
}

void client::submit(std::vector<std::vector<std::string>> commands, asio::any_io_executor caller,
                    completion handler) {
  pending_op rejected(0, clock::now(), std::move(caller), std::move(handler));  // not counted yet
  if (stopped_) {
    complete(std::move(rejected), std::make_exception_ptr(error(errc::closed, "client stopped")));
    return;
  }
  if (!ready_ || !connection_ || !connection_->alive()) {
    complete(std::move(rejected),
             std::make_exception_ptr(error(errc::connection, "not connected to redis")));
    return;
  }
  if (pending_count_.load() + commands.size() > opts_.max_pending) {
    complete(std::move(rejected),
             std::make_exception_ptr(error(errc::overloaded, "too many redis commands in flight")));
    return;
  }
  const std::uint64_t id = register_op(commands.size(), opts_.command_timeout,
                                       std::move(rejected.caller), std::move(rejected.handler));
  for (const auto& args : commands) {
    if (!connection_->send(args, &client::on_reply, id_to_privdata(id))) {
      // Replies to the commands already queued for this op will find it gone and be dropped.
      fail_op(id, error(errc::connection, "the redis connection is closing"));
      return;
    }
  }
  arm_watchdog();
}

std::uint64_t client::register_op(std::size_t expected, clock::duration timeout,
                                  asio::any_io_executor caller, completion handler) {
  const std::uint64_t id = next_id_++;
  auto [it, inserted] =
      ops_.try_emplace(id, expected, clock::now() + timeout, std::move(caller), std::move(handler));
  it->second.replies.reserve(expected);
  pending_count_.fetch_add(expected);
  return id;
}

void client::complete(pending_op op, std::exception_ptr failure) {
  pending_count_.fetch_sub(op.expected);
  // Resume the caller on its own executor (its strand, its io_context), never inline here: this
  // may run inside a hiredis callback.
  asio::post(op.caller,
             [h = std::move(op.handler), failure, replies = std::move(op.replies)]() mutable {
               std::move(h)(failure, std::move(replies));
             });
}

void client::fail_op(std::uint64_t id, const error& failure) {
  auto it = ops_.find(id);
  if (it == ops_.end()) {
    return;
  }
  pending_op op = std::move(it->second);
  ops_.erase(it);
  complete(std::move(op), std::make_exception_ptr(failure));
}

error client::lost_error(const pending_op& op) const {
  if (stopped_) {
    return {errc::closed, "client stopped"};
  }
  if (timing_out_ && op.deadline <= timeout_cutoff_) {
    return {errc::timeout, "no reply within command_timeout"};
  }
  return {errc::connection, lost_reason_.empty() ? "connection lost" : lost_reason_};
}

void client::fail_all() {
  while (!ops_.empty()) {
    fail_op(ops_.begin()->first, lost_error(ops_.begin()->second));
  }
}

void client::on_reply(redisAsyncContext* context, void* raw_reply, void* privdata) noexcept {
  auto* self = static_cast<client*>(context->data);
  try {
    if (raw_reply == nullptr && self->lost_reason_.empty() && context->c.err != 0) {
      // hiredis is tearing the context down by itself (EOF, I/O error): keep its reason.
      self->lost_reason_ = error_from_hiredis(context->c.err, context->c.errstr).what();
    }
    self->handle_reply(privdata_to_id(privdata), static_cast<const redisReply*>(raw_reply));
  } catch (const std::exception& e) {
    // Never let an exception cross hiredis's C frames.
    spdlog::error("redis: failed to handle a reply: {}", e.what());
    self->fail_op(privdata_to_id(privdata), error(errc::protocol, "cannot handle reply"));
  }
}

void client::handle_reply(std::uint64_t id, const redisReply* raw_reply) {
  auto it = ops_.find(id);
  if (it == ops_.end()) {
    return;  // already failed (e.g. a pipeline whose later command could not be queued)
  }
  if (raw_reply == nullptr) {
    fail_op(id, lost_error(it->second));
    return;
  }
  pending_op& op = it->second;
  op.replies.push_back(reply::from_hiredis(*raw_reply));
  if (op.replies.size() == op.expected) {
    pending_op done = std::move(op);
    ops_.erase(it);
    complete(std::move(done), nullptr);
  }
}

void client::begin_connect() {
  if (stopped_) {
    return;
  }
  const std::uint64_t attempt = attempt_;
  connect_timer_.expires_after(opts_.connect_timeout);
  connect_timer_.async_wait([self = shared_from_this(), attempt](boost::system::error_code ec) {
    if (!ec && self->attempt_ == attempt && !self->ready_ && !self->stopped_) {
      self->end_attempt("connect timeout");
    }
  });
  boost::system::error_code parse_error;
  const auto address = asio::ip::make_address(opts_.host, parse_error);
  if (!parse_error) {
    open_connection(address.to_string());
    return;
  }
  // hiredis would resolve with a blocking getaddrinfo: resolve here without blocking instead.
  resolver_.async_resolve(
      opts_.host, std::to_string(opts_.port),
      [self = shared_from_this(), attempt](boost::system::error_code ec,
                                           const asio::ip::tcp::resolver::results_type& results) {
        if (self->attempt_ != attempt || self->stopped_) {
          return;
        }
        if (ec || results.empty()) {
          self->end_attempt("cannot resolve the redis host name");
          return;
        }
        self->open_connection(results.begin()->endpoint().address().to_string());
      });
}

void client::open_connection(const std::string& address) {
  const std::uint64_t attempt = attempt_;
  try {
    connection_ =
        async_connection::open(strand_, address, opts_.port, this,
                               [weak = weak_from_this(), attempt](const std::string& reason) {
                                 if (auto self = weak.lock(); self && self->attempt_ == attempt) {
                                   self->end_attempt(reason);
                                 }
                               });
  } catch (const error& e) {
    end_attempt(e.what());
    return;
  }
  std::vector<std::vector<std::string>> handshake;
  if (!opts_.password.empty()) {
    handshake.push_back({"AUTH", opts_.password});
  }
  if (opts_.db != 0) {
    handshake.push_back({"SELECT", std::to_string(opts_.db)});
  }
  handshake.push_back({"PING"});  // "connected" means the server answers, not just accepts
  const std::uint64_t id =
      register_op(handshake.size(), opts_.connect_timeout, strand_,
                  completion([self = shared_from_this(), attempt](std::exception_ptr failure,
                                                                  std::vector<reply> replies) {
                    self->on_handshake(attempt, failure, std::move(replies));
                  }));
  for (const auto& args : handshake) {
    if (!connection_->send(args, &client::on_reply, id_to_privdata(id))) {
      end_attempt("cannot queue the handshake");
      return;
    }
  }
}

void client::on_handshake(std::uint64_t attempt, std::exception_ptr failure,
                          std::vector<reply> replies) {
  if (attempt != attempt_ || stopped_ || failure) {
    return;  // the attempt already ended and end_attempt() scheduled the next one
  }
  for (const reply& r : replies) {
    if (r.is_error()) {
      // e.g. WRONGPASS or a bad db index: a configuration problem, so always worth an error line.
      spdlog::error("redis: connection handshake refused: {}", r.str);
      end_attempt("handshake refused");
      return;
    }
  }
  ready_ = true;
  connected_.store(true, std::memory_order_release);
  backoff_.reset();
  failures_in_a_row_ = 0;
  connect_timer_.cancel();
  spdlog::info("redis: connected");
  if (on_connected_) {
    try {
      on_connected_();
    } catch (const std::exception& e) {
      spdlog::error("redis: on_connected handler failed: {}", e.what());
    }
  }
}

void client::end_attempt(const std::string& reason) {
  ++attempt_;
  const bool was_ready = ready_;
  ready_ = false;
  connected_.store(false, std::memory_order_release);
  connect_timer_.cancel();
  resolver_.cancel();
  lost_reason_ = reason;
  if (auto connection = std::exchange(connection_, nullptr)) {
    connection->close();  // hiredis fails the commands in flight through on_reply(nullptr)
  }
  fail_all();
  lost_reason_.clear();
  if (stopped_) {
    return;
  }
  if (was_ready) {
    spdlog::warn("redis: connection lost ({}); reconnecting", reason);
  } else if (failures_in_a_row_ == 0) {
    spdlog::warn("redis: cannot connect ({}); retrying with backoff", reason);
  } else {
    spdlog::debug("redis: cannot connect ({}); retrying", reason);
  }
  ++failures_in_a_row_;
  schedule_reconnect();
}

void client::schedule_reconnect() {
  reconnect_timer_.expires_after(backoff_.next());
  reconnect_timer_.async_wait(
      [self = shared_from_this(), attempt = attempt_](boost::system::error_code ec) {
        if (!ec && !self->stopped_ && self->attempt_ == attempt) {
          self->begin_connect();
        }
      });
}

void client::arm_watchdog() {
  if (watchdog_armed_ || ops_.empty() || stopped_) {
    return;
  }
  watchdog_armed_ = true;
  watchdog_.expires_at(ops_.begin()->second.deadline);
  watchdog_.async_wait([self = shared_from_this()](boost::system::error_code ec) {
    self->watchdog_armed_ = false;
    if (!ec) {
      self->check_timeouts();
    }
  });
}

void client::check_timeouts() {
  if (ops_.empty()) {
    return;
  }
  const auto now = clock::now();
  if (ops_.begin()->second.deadline <= now) {
    // Replies come back in order, so a reply that is late blocks every later one: reset the
    // connection rather than wait on it.
    spdlog::warn("redis: no reply within {} ms; resetting the connection",
                 opts_.command_timeout.count());
    timing_out_ = true;
    timeout_cutoff_ = now;
    end_attempt("command timeout");
    timing_out_ = false;
    return;
  }
  arm_watchdog();
}

}  // namespace helpline::redis
