#include "redis/reconnecting_connection.hpp"

#include <hiredis/async.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <utility>

#include "redis/async_connection.hpp"

namespace helpline::redis {

namespace {
// hiredis carries one void* per command: the attempt (handshake) or the owner's tag.
void* to_privdata(std::uint64_t value) {
  return reinterpret_cast<void*>(  // NOLINT(performance-no-int-to-ptr)
      static_cast<std::uintptr_t>(value));
}

std::uint64_t from_privdata(void* privdata) {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(privdata));
}
}  // namespace

std::string_view to_string(reconnecting_connection::state s) noexcept {
  switch (s) {
    case reconnecting_connection::state::idle:
      return "idle";
    case reconnecting_connection::state::connecting:
      return "connecting";
    case reconnecting_connection::state::ready:
      return "ready";
    case reconnecting_connection::state::backing_off:
      return "backing_off";
    case reconnecting_connection::state::stopped:
      return "stopped";
  }
  return "unknown";
}

std::shared_ptr<reconnecting_connection> reconnecting_connection::create(strand_type strand,
                                                                         options opts,
                                                                         std::string name) {
  return std::shared_ptr<reconnecting_connection>(
      new reconnecting_connection(std::move(strand), std::move(opts), std::move(name)));
}

reconnecting_connection::reconnecting_connection(strand_type strand, options opts, std::string name)
    : strand_(std::move(strand)),
      opts_(std::move(opts)),
      name_(std::move(name)),
      resolver_(strand_),
      connect_timer_(strand_),
      reconnect_timer_(strand_),
      backoff_(opts_.reconnect_min, opts_.reconnect_max) {}

reconnecting_connection::~reconnecting_connection() {
  // Only reached when no handler holds this object any more (each holds a shared_ptr), so nothing
  // else runs on the strand for it: close quietly. The lost handler holds a weak pointer.
  if (connection_) {
    connection_->close();
  }
}

void reconnecting_connection::on_state_change(std::function<void(state)> handler) {
  asio::post(strand_, [self = shared_from_this(), h = std::move(handler)]() mutable {
    self->on_state_change_ = std::move(h);
  });
}

void reconnecting_connection::start() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->current_state() == state::idle) {
      self->begin_connect();
    }
  });
}

void reconnecting_connection::stop() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->current_state() != state::stopped) {
      self->end_attempt(error(errc::closed, "stopped"), true);
    }
  });
}

std::optional<error> reconnecting_connection::last_error() const {
  std::lock_guard lock(last_error_mutex_);
  return last_error_;
}

void reconnecting_connection::reset(const error& why) {
  const state s = current_state();
  if (s == state::connecting || s == state::ready) {
    end_attempt(why, false);
  }
}

bool reconnecting_connection::established() const noexcept {
  return established_ && connection_ && connection_->alive();
}

bool reconnecting_connection::send(const std::vector<std::string>& args, std::uint64_t tag) {
  return established() &&
         connection_->send(args, &reconnecting_connection::owner_callback, to_privdata(tag));
}

void reconnecting_connection::set_state(state s) {
  state_.store(s, std::memory_order_release);
  if (on_state_change_) {
    try {
      on_state_change_(s);
    } catch (const std::exception& e) {
      spdlog::error("{}: state change handler failed: {}", name_, e.what());
    }
  }
}

void reconnecting_connection::begin_connect() {
  set_state(state::connecting);
  const std::uint64_t attempt = attempt_;
  connect_timer_.expires_after(opts_.connect_timeout);
  connect_timer_.async_wait([self = shared_from_this(), attempt](boost::system::error_code ec) {
    if (!ec && self->attempt_ == attempt && self->current_state() == state::connecting) {
      self->end_attempt(error(errc::connection, "connect timeout"), false);
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
        if (self->attempt_ != attempt || self->current_state() != state::connecting) {
          return;
        }
        if (ec || results.empty()) {
          self->end_attempt(error(errc::connection, "cannot resolve the redis host name"), false);
          return;
        }
        self->open_connection(results.begin()->endpoint().address().to_string());
      });
}

void reconnecting_connection::open_connection(const std::string& address) {
  const std::uint64_t attempt = attempt_;
  try {
    connection_ = async_connection::open(
        strand_, address, opts_.port, this, [weak = weak_from_this(), attempt](const error& why) {
          if (auto self = weak.lock(); self && self->attempt_ == attempt) {
            self->end_attempt(why, false);
          }
        });
  } catch (const error& e) {
    end_attempt(e, false);
    return;
  }
  std::vector<std::vector<std::string>> handshake;
  if (!opts_.password.empty()) {
    handshake.push_back({"AUTH", opts_.password});
  }
  if (opts_.db != 0) {
    handshake.push_back({"SELECT", std::to_string(opts_.db)});
  }
  // "Ready" means the server answers, not just accepts. Also answered before the subscriber
  // subscribes: hiredis 0.14 cannot match a PING reply on a subscribed connection.
  handshake.push_back({"PING"});
  handshake_left_ = handshake.size();
  for (const auto& args : handshake) {
    if (!connection_->send(args, &reconnecting_connection::handshake_callback,
                           to_privdata(attempt))) {
      end_attempt(error(errc::connection, "cannot queue the handshake"), false);
      return;
    }
  }
}

void reconnecting_connection::handshake_callback(redisAsyncContext* context, void* raw_reply,
                                                 void* privdata) noexcept {
  if (raw_reply == nullptr) {
    return;  // the context is going away; its lost handler (or end_attempt) takes over
  }
  auto* self = static_cast<reconnecting_connection*>(context->data);
  const auto* r = static_cast<const redisReply*>(raw_reply);
  try {
    std::shared_ptr<reconnecting_connection> alive = self->weak_from_this().lock();
    if (!alive) {
      return;
    }
    const bool ok = r->type != REDIS_REPLY_ERROR;
    std::string text = r->type == REDIS_REPLY_ERROR || r->type == REDIS_REPLY_STATUS ||
                               r->type == REDIS_REPLY_STRING
                           ? std::string(r->str, r->len)
                           : std::string();
    // Posted: a refused handshake closes the context, which must never happen inside hiredis.
    asio::post(self->strand_,
               [alive, attempt = from_privdata(privdata), ok, text = std::move(text)] {
                 alive->on_handshake_reply(attempt, ok, text);
               });
  } catch (const std::exception& e) {
    spdlog::error("{}: failed to handle a handshake reply: {}", self->name_, e.what());
  }
}

void reconnecting_connection::owner_callback(redisAsyncContext* context, void* raw_reply,
                                             void* privdata) noexcept {
  auto* self = static_cast<reconnecting_connection*>(context->data);
  if (std::shared_ptr<owner> o = self->owner_.lock()) {
    o->on_reply(static_cast<const redisReply*>(raw_reply), from_privdata(privdata));
  }
}

void reconnecting_connection::on_handshake_reply(std::uint64_t attempt, bool ok,
                                                 const std::string& text) {
  if (attempt != attempt_ || established_ || current_state() != state::connecting) {
    return;
  }
  if (!ok) {
    // e.g. WRONGPASS or a bad db index: a configuration problem, so always worth an error line.
    spdlog::error("{}: connection handshake refused: {}", name_, text);
    end_attempt(error_from_reply(text), false);
    return;
  }
  if (--handshake_left_ > 0) {
    return;
  }
  established_ = true;
  if (std::shared_ptr<owner> o = owner_.lock()) {
    o->on_established();  // may call mark_ready() or reset(): nothing may follow here
  } else {
    mark_ready();
  }
}

void reconnecting_connection::mark_ready() {
  if (!established_ || current_state() != state::connecting) {
    return;
  }
  connect_timer_.cancel();
  backoff_.reset();
  failures_in_a_row_ = 0;
  set_state(state::ready);
  spdlog::info("{}: connected", name_);
  if (std::shared_ptr<owner> o = owner_.lock()) {
    o->on_ready();
  }
}

void reconnecting_connection::end_attempt(const error& why, bool final) {
  ++attempt_;
  const bool was_ready = current_state() == state::ready;
  established_ = false;
  handshake_left_ = 0;
  connect_timer_.cancel();
  resolver_.cancel();
  if (final) {
    reconnect_timer_.cancel();  // stop() during backoff must not wait for the delay to pass
  }
  // Not ready any more before the owner hears of it, so it never sees "ready" on a dead link.
  set_state(final ? state::stopped : state::backing_off);
  {
    std::lock_guard lock(last_error_mutex_);
    last_error_ = why;
  }
  if (auto connection = std::exchange(connection_, nullptr)) {
    connection->close();  // hiredis calls the pending reply callbacks with a null reply
  }
  if (std::shared_ptr<owner> o = owner_.lock()) {
    o->on_down(why);
  }
  if (final) {
    return;
  }
  if (was_ready) {
    spdlog::warn("{}: connection lost ({}); reconnecting", name_, why.detail());
  } else if (failures_in_a_row_ == 0) {
    spdlog::warn("{}: cannot connect ({}); retrying with backoff", name_, why.detail());
  } else {
    spdlog::debug("{}: cannot connect ({}); retrying", name_, why.detail());
  }
  ++failures_in_a_row_;
  schedule_reconnect();
}

void reconnecting_connection::schedule_reconnect() {
  reconnect_timer_.expires_after(backoff_.next());
  reconnect_timer_.async_wait(
      [self = shared_from_this(), attempt = attempt_](boost::system::error_code ec) {
        if (!ec && self->attempt_ == attempt && self->current_state() == state::backing_off) {
          self->begin_connect();
        }
      });
}

}  // namespace helpline::redis
