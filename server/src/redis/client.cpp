#include "redis/client.hpp"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>
#include <utility>

namespace helpline::redis {

namespace {
void check_not_empty(const std::vector<std::string>& args) {
  if (args.empty()) {
    throw std::invalid_argument("redis command without arguments");
  }
}
}  // namespace

std::shared_ptr<client> client::create(asio::any_io_executor ex, options opts) {
  std::shared_ptr<client> c(new client(std::move(ex), std::move(opts)));
  // Aliasing constructor: the owner base is private, so the conversion is written here.
  c->link_->set_owner(std::shared_ptr<reconnecting_connection::owner>(c, c.get()));
  return c;
}

client::client(asio::any_io_executor ex, options opts)
    : strand_(asio::make_strand(std::move(ex))),
      opts_(std::move(opts)),
      link_(reconnecting_connection::create(strand_, opts_, "redis")),
      watchdog_(strand_) {}

client::~client() {
  // Normally stop() has run. If not, nothing holds this client any more (the connection holds it
  // weakly and can no longer reach it): stop the connection, which may be backing off, and fail
  // what is left rather than leave its callers waiting.
  try {
    link_->stop();
    fail_all(error(errc::closed, "client stopped"));
  } catch (const std::exception& e) {
    spdlog::error("redis: cannot stop the client: {}", e.what());
  }
}

void client::start() { link_->start(); }

void client::stop() { link_->stop(); }

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
  const auto state = link_->current_state();
  if (state == reconnecting_connection::state::stopped) {
    complete(std::move(rejected), std::make_exception_ptr(error(errc::closed, "client stopped")));
    return;
  }
  if (state != reconnecting_connection::state::ready || !link_->established()) {
    complete(std::move(rejected),
             std::make_exception_ptr(error(errc::connection, "not connected to redis")));
    return;
  }
  if (pending_count_.load() + commands.size() > opts_.max_pending) {
    complete(std::move(rejected),
             std::make_exception_ptr(error(errc::overloaded, "too many redis commands in flight")));
    return;
  }
  const std::uint64_t id =
      register_op(commands.size(), std::move(rejected.caller), std::move(rejected.handler));
  for (const auto& args : commands) {
    if (!link_->send(args, id)) {
      // Replies to the commands already queued for this op will find it gone and be dropped.
      fail_op(id, error(errc::connection, "the redis connection is closing"));
      return;
    }
  }
  arm_watchdog();
}

std::uint64_t client::register_op(std::size_t expected, asio::any_io_executor caller,
                                  completion handler) {
  const std::uint64_t id = next_id_++;
  auto [it, inserted] = ops_.try_emplace(id, expected, clock::now() + opts_.command_timeout,
                                         std::move(caller), std::move(handler));
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

error client::lost_error(const pending_op& op, const error& why) const {
  if (why.code() == errc::closed) {
    return {errc::closed, "client stopped"};
  }
  if (why.code() == errc::timeout && op.deadline <= timeout_cutoff_) {
    return {errc::timeout, "no reply within command_timeout"};
  }
  // Whatever ended the connection (even a timeout of an older command), this command may or may
  // not have run: a connection error.
  return {errc::connection, why.detail().empty() ? "connection lost" : why.detail()};
}

void client::fail_all(const error& why) {
  while (!ops_.empty()) {
    fail_op(ops_.begin()->first, lost_error(ops_.begin()->second, why));
  }
}

void client::on_reply(const redisReply* raw_reply, std::uint64_t id) noexcept {
  if (raw_reply == nullptr) {
    // hiredis is freeing the context. The op stays until on_down(), which fails every op left in
    // submission order with the reason the connection ended.
    return;
  }
  try {
    handle_reply(id, raw_reply);
  } catch (const std::exception& e) {
    // Never let an exception cross hiredis's C frames.
    spdlog::error("redis: failed to handle a reply: {}", e.what());
    fail_op(id, error(errc::protocol, "cannot handle reply"));
  }
}

void client::handle_reply(std::uint64_t id, const redisReply* raw_reply) {
  auto it = ops_.find(id);
  if (it == ops_.end()) {
    return;  // already failed (e.g. a pipeline whose later command could not be queued)
  }
  pending_op& op = it->second;
  op.replies.push_back(reply::from_hiredis(*raw_reply));
  if (op.replies.size() == op.expected) {
    pending_op done = std::move(op);
    ops_.erase(it);
    complete(std::move(done), nullptr);
  }
}

void client::on_established() {
  link_->mark_ready();  // nothing of the client's own to set up on a new connection
}

void client::on_ready() {
  if (on_connected_) {
    try {
      on_connected_();
    } catch (const std::exception& e) {
      spdlog::error("redis: on_connected handler failed: {}", e.what());
    }
  }
}

void client::on_down(const error& why) {
  fail_all(why);
  if (why.code() == errc::closed) {
    watchdog_.cancel();
  }
}

void client::arm_watchdog() {
  if (watchdog_armed_ || ops_.empty() ||
      link_->current_state() == reconnecting_connection::state::stopped) {
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
    timeout_cutoff_ = now;
    const error timed_out(errc::timeout, "no reply within command_timeout");
    link_->reset(timed_out);  // on_down(timed_out) fails every op in flight
    fail_all(timed_out);      // in case the connection was already on its way down
    return;
  }
  arm_watchdog();
}

}  // namespace helpline::redis
