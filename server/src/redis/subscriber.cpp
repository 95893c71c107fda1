#include "redis/subscriber.hpp"

#include <hiredis/async.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <string_view>
#include <vector>

#include "redis/async_connection.hpp"
#include "redis/error.hpp"

namespace helpline::redis {

namespace {
void* attempt_to_privdata(std::uint64_t attempt) {
  return reinterpret_cast<void*>(static_cast<std::uintptr_t>(attempt));  // NOLINT
}

std::uint64_t privdata_to_attempt(void* privdata) {
  return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(privdata));
}

bool is_text(const redisReply* r) {
  return r != nullptr && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS);
}

std::string_view text_of(const redisReply* r) { return {r->str, r->len}; }

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}
}  // namespace

std::shared_ptr<subscriber> subscriber::create(asio::any_io_executor ex, options opts) {
  return std::shared_ptr<subscriber>(new subscriber(std::move(ex), std::move(opts)));
}

subscriber::subscriber(asio::any_io_executor ex, options opts)
    : strand_(asio::make_strand(std::move(ex))),
      opts_(std::move(opts)),
      resolver_(strand_),
      connect_timer_(strand_),
      reconnect_timer_(strand_),
      backoff_(opts_.reconnect_min, opts_.reconnect_max) {}

subscriber::~subscriber() {
  stopped_ = true;
  if (connection_) {
    connection_->close();
  }
}

void subscriber::start() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->started_ || self->stopped_) {
      return;
    }
    self->started_ = true;
    self->begin_connect();
  });
}

void subscriber::stop() {
  asio::post(strand_, [self = shared_from_this()] {
    if (self->stopped_) {
      return;
    }
    self->stopped_ = true;
    self->end_attempt("subscriber stopped");
    self->reconnect_timer_.cancel();
  });
}

void subscriber::on_message(message_handler handler) {
  asio::post(strand_, [self = shared_from_this(), h = std::move(handler)]() mutable {
    self->on_message_ = std::move(h);
  });
}

void subscriber::on_resubscribed(std::function<void()> handler) {
  asio::post(strand_, [self = shared_from_this(), h = std::move(handler)]() mutable {
    self->on_resubscribed_ = std::move(h);
  });
}

void subscriber::subscribe(std::string channel) {
  change_subscription("SUBSCRIBE", std::move(channel), false, true);
}

void subscriber::unsubscribe(std::string channel) {
  change_subscription("UNSUBSCRIBE", std::move(channel), false, false);
}

void subscriber::psubscribe(std::string pattern) {
  change_subscription("PSUBSCRIBE", std::move(pattern), true, true);
}

void subscriber::punsubscribe(std::string pattern) {
  change_subscription("PUNSUBSCRIBE", std::move(pattern), true, false);
}

void subscriber::change_subscription(const char* command, std::string name, bool pattern,
                                     bool add) {
  {
    std::lock_guard lock(mutex_);
    std::set<std::string>& names = pattern ? patterns_ : channels_;
    if (add) {
      if (names.contains(name)) {
        return;
      }
      if (channels_.size() + patterns_.size() >= max_subscriptions) {
        throw error(errc::overloaded, "too many redis subscriptions");
      }
      names.insert(name);
    } else if (names.erase(name) == 0) {
      return;
    }
  }
  asio::post(strand_, [self = shared_from_this(), command, name = std::move(name), add] {
    // While handshaking (or disconnected) the remembered sets are sent once the handshake is done.
    if (self->phase_ != phase::subscribing && self->phase_ != phase::ready) {
      return;
    }
    // UNSUBSCRIBE is refused by hiredis when nothing is subscribed: nothing to undo then.
    const bool sent = self->connection_->send({command, name}, &subscriber::on_pubsub_callback,
                                              attempt_to_privdata(self->attempt_));
    if (sent && add && self->phase_ == phase::subscribing) {
      ++self->confirmations_left_;
    }
  });
}

void subscriber::begin_connect() {
  if (stopped_) {
    return;
  }
  const std::uint64_t attempt = attempt_;
  connect_timer_.expires_after(opts_.connect_timeout);
  connect_timer_.async_wait([self = shared_from_this(), attempt](boost::system::error_code ec) {
    if (!ec && self->attempt_ == attempt && self->phase_ != phase::ready && !self->stopped_) {
      self->end_attempt("connect timeout");
    }
  });
  boost::system::error_code parse_error;
  const auto address = asio::ip::make_address(opts_.host, parse_error);
  if (!parse_error) {
    open_connection(address.to_string());
    return;
  }
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

void subscriber::open_connection(const std::string& address) {
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
  phase_ = phase::handshaking;
  std::vector<std::vector<std::string>> handshake;
  if (!opts_.password.empty()) {
    handshake.push_back({"AUTH", opts_.password});
  }
  if (opts_.db != 0) {
    handshake.push_back({"SELECT", std::to_string(opts_.db)});
  }
  // Answered before subscribing: hiredis 0.14 cannot match a PING reply once subscribed.
  handshake.push_back({"PING"});
  handshake_left_ = handshake.size();
  for (const auto& args : handshake) {
    if (!connection_->send(args, &subscriber::on_handshake_callback,
                           attempt_to_privdata(attempt))) {
      end_attempt("cannot queue the handshake");
      return;
    }
  }
}

void subscriber::on_handshake_callback(redisAsyncContext* context, void* raw_reply,
                                       void* privdata) noexcept {
  if (raw_reply == nullptr) {
    return;  // the context is going away; its lost handler reconnects
  }
  auto* self = static_cast<subscriber*>(context->data);
  const auto* r = static_cast<const redisReply*>(raw_reply);
  try {
    std::shared_ptr<subscriber> owner = self->weak_from_this().lock();
    if (!owner) {
      return;
    }
    const bool ok = r->type != REDIS_REPLY_ERROR;
    std::string text =
        is_text(r) || r->type == REDIS_REPLY_ERROR ? std::string(r->str, r->len) : "";
    asio::post(self->strand_,
               [owner, attempt = privdata_to_attempt(privdata), ok, text = std::move(text)] {
                 owner->on_handshake_reply(attempt, ok, text);
               });
  } catch (const std::exception& e) {
    spdlog::error("redis subscriber: failed to handle a reply: {}", e.what());
  }
}

void subscriber::on_handshake_reply(std::uint64_t attempt, bool ok, const std::string& text) {
  if (attempt != attempt_ || phase_ != phase::handshaking) {
    return;
  }
  if (!ok) {
    spdlog::error("redis subscriber: connection handshake refused: {}", text);
    end_attempt("handshake refused");
    return;
  }
  if (--handshake_left_ == 0) {
    send_subscriptions();
  }
}

void subscriber::send_subscriptions() {
  phase_ = phase::subscribing;
  std::vector<std::string> subscribe{"SUBSCRIBE"};
  std::vector<std::string> psubscribe{"PSUBSCRIBE"};
  {
    std::lock_guard lock(mutex_);
    subscribe.insert(subscribe.end(), channels_.begin(), channels_.end());
    psubscribe.insert(psubscribe.end(), patterns_.begin(), patterns_.end());
  }
  confirmations_left_ = 0;
  for (const auto* args : {&subscribe, &psubscribe}) {
    if (args->size() < 2) {
      continue;
    }
    if (!connection_->send(*args, &subscriber::on_pubsub_callback, attempt_to_privdata(attempt_))) {
      end_attempt("cannot queue the subscriptions");
      return;
    }
    confirmations_left_ += args->size() - 1;  // Redis confirms each channel or pattern
  }
  if (confirmations_left_ == 0) {
    become_ready();
  }
}

void subscriber::on_pubsub_callback(redisAsyncContext* context, void* raw_reply,
                                    void* privdata) noexcept {
  if (raw_reply == nullptr) {
    return;  // hiredis is freeing the context
  }
  auto* self = static_cast<subscriber*>(context->data);
  const auto* r = static_cast<const redisReply*>(raw_reply);
  if (r->type != REDIS_REPLY_ARRAY || r->elements < 3 || !is_text(r->element[0])) {
    return;
  }
  try {
    std::shared_ptr<subscriber> owner = self->weak_from_this().lock();
    if (!owner) {
      return;
    }
    const std::string_view kind = text_of(r->element[0]);
    const redisReply* channel = nullptr;
    const redisReply* payload = nullptr;
    if (equals_ignoring_case(kind, "message")) {
      channel = r->element[1];
      payload = r->element[2];
    } else if (equals_ignoring_case(kind, "pmessage") && r->elements >= 4) {
      channel = r->element[2];
      payload = r->element[3];
    } else if (equals_ignoring_case(kind, "subscribe") ||
               equals_ignoring_case(kind, "psubscribe")) {
      asio::post(self->strand_, [owner, attempt = privdata_to_attempt(privdata)] {
        owner->on_confirmation(attempt);
      });
      return;
    } else {
      return;  // unsubscribe confirmations need no action
    }
    if (!is_text(channel) || !is_text(payload)) {
      return;
    }
    // Copied and posted: the handler runs on the strand, outside hiredis's call stack.
    asio::post(self->strand_, [owner, ch = std::string(text_of(channel)),
                               body = std::string(text_of(payload))] { owner->deliver(ch, body); });
  } catch (const std::exception& e) {
    spdlog::error("redis subscriber: failed to handle a message: {}", e.what());
  }
}

void subscriber::deliver(const std::string& channel, const std::string& payload) {
  if (stopped_ || !on_message_) {
    return;
  }
  try {
    on_message_(channel, payload);
  } catch (const std::exception& e) {
    spdlog::error("redis subscriber: message handler failed: {}", e.what());
  }
}

void subscriber::on_confirmation(std::uint64_t attempt) {
  if (attempt != attempt_ || phase_ != phase::subscribing || confirmations_left_ == 0) {
    return;
  }
  if (--confirmations_left_ == 0) {
    become_ready();
  }
}

void subscriber::become_ready() {
  phase_ = phase::ready;
  connected_.store(true, std::memory_order_release);
  backoff_.reset();
  failures_in_a_row_ = 0;
  connect_timer_.cancel();
  spdlog::info("redis subscriber: connected and subscribed");
  if (on_resubscribed_) {
    try {
      on_resubscribed_();
    } catch (const std::exception& e) {
      spdlog::error("redis subscriber: on_resubscribed handler failed: {}", e.what());
    }
  }
}

void subscriber::end_attempt(const std::string& reason) {
  ++attempt_;
  const bool was_ready = phase_ == phase::ready;
  phase_ = phase::idle;
  connected_.store(false, std::memory_order_release);
  connect_timer_.cancel();
  resolver_.cancel();
  if (auto connection = std::exchange(connection_, nullptr)) {
    connection->close();
  }
  if (stopped_) {
    return;
  }
  if (was_ready) {
    spdlog::warn("redis subscriber: connection lost ({}); reconnecting", reason);
  } else if (failures_in_a_row_ == 0) {
    spdlog::warn("redis subscriber: cannot connect ({}); retrying with backoff", reason);
  } else {
    spdlog::debug("redis subscriber: cannot connect ({}); retrying", reason);
  }
  ++failures_in_a_row_;
  schedule_reconnect();
}

void subscriber::schedule_reconnect() {
  reconnect_timer_.expires_after(backoff_.next());
  reconnect_timer_.async_wait(
      [self = shared_from_this(), attempt = attempt_](boost::system::error_code ec) {
        if (!ec && !self->stopped_ && self->attempt_ == attempt) {
          self->begin_connect();
        }
      });
}

}  // namespace helpline::redis
