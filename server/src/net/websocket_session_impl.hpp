// One WebSocket connection (Beast chat-multi style): everything runs on the connection's strand;
// a read loop coroutine hands messages to the connection_handler one at a time; a bounded write
// queue with one write in flight; closes are queued behind pending writes and guarded by a
// deadline so a peer that stops reading cannot pin the session.
// Stream is beast::tcp_stream or beast::ssl_stream<beast::tcp_stream>.
#pragma once

#include "net/server_context.hpp"
#include "net/token_bucket.hpp"
#include "net/websocket_session.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <atomic>
#include <deque>
#include <exception>
#include <memory>
#include <string>

namespace helpline::net {

namespace websocket = boost::beast::websocket;

template <class Stream>
class websocket_session_impl final : public websocket_session,
                                     public stoppable_session,
                                     public std::enable_shared_from_this<websocket_session_impl<Stream>> {
 public:
  websocket_session_impl(std::shared_ptr<server_context> ctx, Stream&& stream, connection_slot slot, socket_kind kind)
      : ctx_(std::move(ctx)),
        ws_(std::move(stream)),
        executor_(ws_.get_executor()),
        slot_(std::move(slot)),
        kind_(kind),
        id_(next_connection_id()),
        metrics_(ctx_->metrics.kind(kind)),
        bucket_(ctx_->options.messages_per_second, ctx_->options.burst, token_bucket::clock::now()),
        close_deadline_(executor_) {}

  // Completes the opening handshake for an upgrade request, then serves the connection.
  void run(http_request request) {
    asio::co_spawn(executor_, serve(this->shared_from_this(), std::move(request)), asio::detached);
  }

  void send(std::shared_ptr<const std::string> text) override {
    if (!text || close_requested_.load(std::memory_order_acquire)) return;
    const std::size_t bytes = text->size();
    const std::size_t messages = queued_messages_.fetch_add(1) + 1;
    const std::size_t total = queued_bytes_.fetch_add(bytes) + bytes;
    if (messages > ctx_->options.max_queued_messages || total > ctx_->options.max_queued_bytes) {
      // Full: drop this message and close. Nothing stored is lost: the client reconnects and
      // resumes from its last sequence number.
      queued_messages_.fetch_sub(1);
      queued_bytes_.fetch_sub(bytes);
      metrics_.write_queue_drops.inc();
      if (!slow_consumer_.exchange(true)) {
        ctx_->metrics.error(transport_error::slow_consumer);
        request_close(1008, "slow consumer", true);
      }
      return;
    }
    asio::post(executor_, [self = this->shared_from_this(), text = std::move(text)]() mutable {
      self->enqueue(std::move(text));
    });
  }

  void close(std::uint16_t code, std::string reason) override { request_close(code, std::move(reason), false); }

  void stop() override { request_close(1001, "going away", false); }

  std::uint64_t id() const noexcept override { return id_; }
  socket_kind kind() const noexcept override { return kind_; }
  asio::any_io_executor executor() const override { return executor_; }

 private:
  struct outgoing {
    std::shared_ptr<const std::string> text;  // null for the close frame
    std::uint16_t close_code = 0;
    std::string close_reason;
  };

  static asio::awaitable<void> serve(std::shared_ptr<websocket_session_impl> self, http_request request) {
    co_await self->serve_connection(std::move(request));
  }

  asio::awaitable<void> serve_connection(http_request request) {
    auto& opts = ctx_->options;
    beast::get_lowest_layer(ws_).expires_never();  // the websocket stream's own timeouts take over
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = opts.handshake_timeout;
    timeouts.idle_timeout = opts.idle_timeout;
    timeouts.keep_alive_pings = true;
    ws_.set_option(timeouts);
    ws_.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "helpline"); }));
    // Beast's own limit is a backstop at 4x: its refusal closes the socket after reading only part
    // of the frame, and the reset that follows destroys the close frame before the peer reads it.
    // Messages over the real limit but under the backstop are read whole and refused here with a
    // clean 1009 close.
    ws_.read_message_max(opts.max_message_bytes * oversize_backstop);
    auto [accept_ec] = co_await ws_.async_accept(request, asio::as_tuple(asio::use_awaitable));
    if (accept_ec) {
      ctx_->metrics.error(transport_error::ws_handshake);
      ctx_->ws_log->debug("ws {} handshake failed: {}", id_, accept_ec.message());
      co_return;
    }
    opened_ = true;
    metrics_.open.inc();
    ctx_->sessions.add(id_, std::weak_ptr<stoppable_session>(this->shared_from_this()));
    ctx_->ws_log->info("ws {} opened kind={}", id_, to_string(kind_));
    if (ctx_->stopping.load()) request_close(1001, "going away", false);

    try {
      handler_ = ctx_->app.on_open(this->shared_from_this());
    } catch (const std::exception& e) {
      ctx_->ws_log->error("ws {} on_open threw: {}", id_, e.what());
    }
    if (!handler_) {
      ctx_->metrics.error(transport_error::handler_error);
      request_close(1011, "unavailable", false);
    }
    co_await read_loop();
    finish();
  }

  static constexpr std::size_t oversize_backstop = 4;

  asio::awaitable<void> read_loop() {
    beast::flat_buffer buffer;
    for (;;) {
      auto [ec, bytes] = co_await ws_.async_read(buffer, asio::as_tuple(asio::use_awaitable));
      if (ec) {
        note_read_error(ec);
        co_return;
      }
      if (closing_ || !handler_) {  // closing (or never opened): nothing more reaches the handler
        buffer.consume(buffer.size());
        continue;
      }
      metrics_.messages_in.inc();
      metrics_.bytes_in.inc(static_cast<double>(bytes));
      if (bytes > ctx_->options.max_message_bytes) {
        buffer.consume(buffer.size());
        ctx_->metrics.error(transport_error::message_too_big);
        request_close(1009, "message too big", false);
        continue;
      }
      if (!ws_.got_text()) {
        buffer.consume(buffer.size());
        ctx_->metrics.error(transport_error::binary_frame);
        request_close(1003, "binary frames are not supported", false);
        continue;
      }
      const auto now = token_bucket::clock::now();
      if (bucket_.full(now)) strikes_ = 0;  // calm for a while: strikes forgiven
      if (!bucket_.try_take(now)) {
        buffer.consume(buffer.size());
        metrics_.flood_drops.inc();
        ++strikes_;
        send(rate_limited_message());
        if (strikes_ >= ctx_->options.flood_strikes_before_close) {
          ctx_->metrics.error(transport_error::flood);
          request_close(1008, "flood", false);
        }
        continue;
      }
      std::string text = beast::buffers_to_string(buffer.data());
      buffer.consume(buffer.size());
      try {
        co_await handler_->on_text(std::move(text));
      } catch (const std::exception& e) {
        ctx_->metrics.error(transport_error::handler_error);
        ctx_->ws_log->error("ws {} handler threw: {}", id_, e.what());
        request_close(1011, "internal error", false);
      }
    }
  }

  static std::shared_ptr<const std::string> rate_limited_message() {
    static const auto message = std::make_shared<const std::string>(
        R"({"type":"error","code":"rate_limited","message":"Too many messages too quickly. That message was not delivered: please wait a moment and send it again."})");
    return message;
  }

  void note_read_error(const beast::error_code& ec) {
    if (ec == websocket::error::closed) {
      if (final_code_ == 0) final_code_ = ws_.reason().code;
    } else if (ec == websocket::error::message_too_big) {
      final_code_ = 1009;  // Beast has sent the close frame
      ctx_->metrics.error(transport_error::message_too_big);
    } else if (ec == websocket::error::bad_frame_payload) {
      final_code_ = 1007;
      ctx_->metrics.error(transport_error::invalid_utf8);
    } else if (ec == beast::error::timeout) {
      ctx_->metrics.error(final_code_ ? transport_error::close_timeout : transport_error::idle_timeout);
    } else if (ec != asio::error::operation_aborted) {
      ctx_->metrics.error(transport_error::io);
    }
    ctx_->ws_log->debug("ws {} read ended: {}", id_, ec.message());
  }

  // Thread-safe: the first close request wins.
  void request_close(std::uint16_t code, std::string reason, bool drop_queued) {
    if (close_requested_.exchange(true, std::memory_order_acq_rel)) return;
    // post, not dispatch: the strand runs handlers in order, so messages sent before the close
    // (already posted) are queued before it.
    asio::post(executor_, [self = this->shared_from_this(), code, reason = std::move(reason), drop_queued]() mutable {
      self->start_close(code, std::move(reason), drop_queued);
    });
  }

  void start_close(std::uint16_t code, std::string reason, bool drop_queued) {
    if (closing_ || finished_) return;
    closing_ = true;
    final_code_ = code;
    ctx_->ws_log->info("ws {} closing kind={} code={} reason={}", id_, to_string(kind_), code, reason);
    if (drop_queued) {
      // Keep the one in flight (Beast is writing it); drop the rest.
      const std::size_t keep = writing_ ? 1 : 0;
      while (queue_.size() > keep) {
        release_queued(*queue_.back().text);
        metrics_.write_queue_drops.inc();
        queue_.pop_back();
      }
    }
    if (reason.size() > 120) reason.resize(120);  // close frame payload limit (123 bytes)
    queue_.push_back(outgoing{nullptr, code, std::move(reason)});
    // Queued writes plus the closing handshake must finish in time, or the socket is closed.
    close_deadline_.expires_after(ctx_->options.idle_timeout + ctx_->options.handshake_timeout);
    close_deadline_.async_wait([self = this->shared_from_this()](beast::error_code ec) {
      if (ec || self->finished_) return;
      self->ctx_->metrics.error(transport_error::close_timeout);
      self->ctx_->ws_log->info("ws {} close deadline passed: disconnecting", self->id_);
      beast::get_lowest_layer(self->ws_).close();
    });
    if (!writing_) write_next();
  }

  void enqueue(std::shared_ptr<const std::string> text) {
    if (closing_ || finished_) {
      release_queued(*text);
      return;
    }
    queue_.push_back(outgoing{std::move(text)});
    if (!writing_) write_next();
  }

  void release_queued(const std::string& text) {
    queued_messages_.fetch_sub(1);
    queued_bytes_.fetch_sub(text.size());
  }

  void write_next() {
    if (queue_.empty() || finished_) return;
    writing_ = true;
    auto& next = queue_.front();
    if (!next.text) {
      websocket::close_reason reason{static_cast<websocket::close_code>(next.close_code), next.close_reason};
      ws_.async_close(reason, [self = this->shared_from_this()](beast::error_code) {
        self->writing_ = false;
        self->queue_.clear();  // only the close was left; sends after it were refused
      });
      return;
    }
    ws_.text(true);
    ws_.async_write(asio::buffer(*next.text), [self = this->shared_from_this()](beast::error_code ec, std::size_t bytes) {
      self->on_write(ec, bytes);
    });
  }

  void on_write(beast::error_code ec, std::size_t bytes) {
    writing_ = false;
    release_queued(*queue_.front().text);
    queue_.pop_front();
    if (ec) {
      // The connection is gone; the read side ends too. Drop what is left.
      while (!queue_.empty()) {
        if (queue_.front().text) release_queued(*queue_.front().text);
        queue_.pop_front();
      }
      return;
    }
    metrics_.messages_out.inc();
    metrics_.bytes_out.inc(static_cast<double>(bytes));
    write_next();
  }

  void finish() {
    if (finished_) return;
    finished_ = true;
    close_requested_.store(true, std::memory_order_release);
    close_deadline_.cancel();
    beast::error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);  // ends any write still in flight
    if (!opened_) return;
    metrics_.open.dec();
    ctx_->metrics.close(final_code_ ? final_code_ : 1006);
    ctx_->sessions.remove(id_);
    ctx_->ws_log->info("ws {} closed kind={} code={}", id_, to_string(kind_), final_code_ ? final_code_ : 1006);
    if (handler_) {
      auto handler = std::move(handler_);  // breaks a handler <-> session reference cycle
      try {
        handler->on_close();
      } catch (const std::exception& e) {
        ctx_->ws_log->error("ws {} on_close threw: {}", id_, e.what());
      }
    }
  }

  std::shared_ptr<server_context> ctx_;
  websocket::stream<Stream> ws_;
  asio::any_io_executor executor_;
  connection_slot slot_;
  socket_kind kind_;
  std::uint64_t id_;
  transport_metrics::per_kind& metrics_;
  token_bucket bucket_;
  asio::steady_timer close_deadline_;
  std::shared_ptr<connection_handler> handler_;

  // Write queue: bounded by max_queued_messages / max_queued_bytes (counted in send(), before
  // posting, so the strand's own queue is bounded too); full -> close 1008.
  std::deque<outgoing> queue_;
  std::atomic<std::size_t> queued_messages_{0};
  std::atomic<std::size_t> queued_bytes_{0};
  std::atomic<bool> close_requested_{false};
  std::atomic<bool> slow_consumer_{false};

  // Strand-only state.
  bool writing_ = false;
  bool closing_ = false;
  bool finished_ = false;
  bool opened_ = false;
  std::size_t strikes_ = 0;
  std::uint16_t final_code_ = 0;  // close code sent or received; 0 = none yet
};

}  // namespace helpline::net
