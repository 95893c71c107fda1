#include "redis/subscriber.hpp"

#include <hiredis/hiredis.h>
#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <string_view>
#include <vector>

#include "redis/error.hpp"

namespace helpline::redis {

namespace {
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
  std::shared_ptr<subscriber> s(new subscriber(std::move(ex), std::move(opts)));
  // Aliasing constructor: the owner base is private, so the conversion is written here.
  s->link_->set_owner(std::shared_ptr<reconnecting_connection::owner>(s, s.get()));
  return s;
}

subscriber::subscriber(asio::any_io_executor ex, options opts)
    : strand_(asio::make_strand(std::move(ex))),
      link_(reconnecting_connection::create(strand_, std::move(opts), "redis subscriber")) {}

subscriber::~subscriber() {
  // Normally stop() has run. If not, stop the connection, which may still be backing off: it holds
  // this subscriber weakly and can no longer reach it.
  try {
    link_->stop();
  } catch (const std::exception& e) {
    spdlog::error("redis subscriber: cannot stop the connection: {}", e.what());
  }
}

void subscriber::start() { link_->start(); }

void subscriber::stop() { link_->stop(); }

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
    // Before the handshake (or while disconnected) the remembered sets are sent once it is done.
    if (!self->link_->established()) {
      return;
    }
    // UNSUBSCRIBE is refused by hiredis when nothing is subscribed: nothing to undo then.
    const bool sent = self->link_->send({command, name}, self->link_->attempt());
    if (sent && add && self->subscribing_) {
      ++self->confirmations_left_;
    }
  });
}

void subscriber::on_established() { send_subscriptions(); }

void subscriber::send_subscriptions() {
  subscribing_ = true;
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
    if (!link_->send(*args, link_->attempt())) {
      link_->reset(error(errc::connection, "cannot queue the subscriptions"));
      return;
    }
    confirmations_left_ += args->size() - 1;  // Redis confirms each channel or pattern
  }
  if (confirmations_left_ == 0) {
    subscribing_ = false;
    link_->mark_ready();  // nothing to subscribe to
  }
}

void subscriber::on_reply(const redisReply* r, std::uint64_t attempt) noexcept {
  if (r == nullptr) {
    return;  // hiredis is freeing the context; on_down() follows
  }
  if (r->type != REDIS_REPLY_ARRAY || r->elements < 3 || !is_text(r->element[0])) {
    return;
  }
  try {
    std::shared_ptr<subscriber> owner = shared_from_this();
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
      asio::post(strand_, [owner, attempt] { owner->on_confirmation(attempt); });
      return;
    } else {
      return;  // unsubscribe confirmations need no action
    }
    if (!is_text(channel) || !is_text(payload)) {
      return;
    }
    // Copied and posted: the handler runs on the strand, outside hiredis's call stack.
    asio::post(strand_, [owner, ch = std::string(text_of(channel)),
                         body = std::string(text_of(payload))] { owner->deliver(ch, body); });
  } catch (const std::exception& e) {
    spdlog::error("redis subscriber: failed to handle a message: {}", e.what());
  }
}

void subscriber::deliver(const std::string& channel, const std::string& payload) {
  if (link_->current_state() == reconnecting_connection::state::stopped || !on_message_) {
    return;
  }
  try {
    on_message_(channel, payload);
  } catch (const std::exception& e) {
    spdlog::error("redis subscriber: message handler failed: {}", e.what());
  }
}

void subscriber::on_confirmation(std::uint64_t attempt) {
  if (attempt != link_->attempt() || !subscribing_ || confirmations_left_ == 0) {
    return;
  }
  if (--confirmations_left_ == 0) {
    subscribing_ = false;
    link_->mark_ready();
  }
}

void subscriber::on_ready() {
  if (on_resubscribed_) {
    try {
      on_resubscribed_();
    } catch (const std::exception& e) {
      spdlog::error("redis subscriber: on_resubscribed handler failed: {}", e.what());
    }
  }
}

void subscriber::on_down(const error& /*why*/) {
  // The connection logs why; what was subscribed is subscribed again on the next connection.
  subscribing_ = false;
  confirmations_left_ = 0;
}

}  // namespace helpline::redis
