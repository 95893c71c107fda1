// One HTTP connection (plain or TLS, Beast server-flex style): reads requests one at a time,
// each within handshake_timeout (slowloris guard), answers them, and hands a WebSocket upgrade
// on /ws/visitor or /ws/advisor over to a websocket session (start_websocket_session).
#pragma once

#include "net/request_router.hpp"
#include "net/server_context.hpp"
#include "net/session_start.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>

#include <memory>
#include <optional>
#include <type_traits>

namespace helpline::net {

namespace websocket = boost::beast::websocket;

// Request headers larger than this -> 431.
inline constexpr std::uint32_t max_request_header_bytes = 8 * 1024;

template <class Stream>
class http_session final : public stoppable_session, public std::enable_shared_from_this<http_session<Stream>> {
  static constexpr bool is_tls = !std::is_same_v<Stream, beast::tcp_stream>;

 public:
  // over_limit: the server is at max_connections; every request on this connection gets 503.
  http_session(std::shared_ptr<server_context> ctx, Stream&& stream, beast::flat_buffer buffer, connection_slot slot,
               bool over_limit)
      : ctx_(std::move(ctx)),
        stream_(std::move(stream)),
        executor_(stream_.get_executor()),
        buffer_(std::move(buffer)),
        slot_(std::move(slot)),
        over_limit_(over_limit),
        id_(next_connection_id()) {
    ctx_->metrics.http_open().inc();
  }
  ~http_session() override { ctx_->metrics.http_open().dec(); }

  void run() {
    ctx_->sessions.add(id_, std::weak_ptr<stoppable_session>(this->shared_from_this()));
    if (ctx_->stopping.load()) stop();
    asio::co_spawn(executor_, serve(this->shared_from_this()), asio::detached);
  }

  void stop() override {
    // executor_, not stream_'s: after an upgrade the stream has been moved to the WebSocket session.
    asio::post(executor_, [self = this->shared_from_this()] {
      if (self->upgraded_) return;
      beast::error_code ignored;
      beast::get_lowest_layer(self->stream_).socket().close(ignored);
    });
  }

 private:
  static asio::awaitable<void> serve(std::shared_ptr<http_session> self) {
    co_await self->serve_connection();
    self->ctx_->sessions.remove(self->id_);
  }

  asio::awaitable<void> serve_connection() {
    auto& opts = ctx_->options;
    if constexpr (is_tls) {
      beast::get_lowest_layer(stream_).expires_after(opts.handshake_timeout);
      auto [ec, used] = co_await stream_.async_handshake(asio::ssl::stream_base::server, buffer_.data(),
                                                         asio::as_tuple(asio::use_awaitable));
      if (ec) {
        ctx_->metrics.error(transport_error::tls_handshake);
        ctx_->http_log->debug("conn {} TLS handshake failed: {}", id_, ec.message());
        co_return;
      }
      buffer_.consume(used);
    }
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(max_request_header_bytes);
      parser.body_limit(opts.max_request_body_bytes);
      // The whole request, and the wait for it on a kept-alive connection, within this.
      beast::get_lowest_layer(stream_).expires_after(opts.handshake_timeout);
      auto [ec, bytes] = co_await http::async_read(stream_, buffer_, parser, asio::as_tuple(asio::use_awaitable));
      (void)bytes;
      if (ec == http::error::end_of_stream) break;
      if (ec) {
        std::optional<string_response> refusal;
        if (ec == beast::error::timeout) {
          ctx_->metrics.error(transport_error::request_timeout);
        } else if (ec == http::error::body_limit) {
          ctx_->metrics.error(transport_error::body_too_large);
          refusal = make_response(413, "text/plain; charset=utf-8", "Request body too large\n", 11, false);
        } else if (ec == http::error::header_limit) {
          ctx_->metrics.error(transport_error::header_too_large);
          refusal = make_response(431, "text/plain; charset=utf-8", "Request headers too large\n", 11, false);
        } else if (ec.category() == http::make_error_code(http::error::bad_method).category()) {
          ctx_->metrics.error(transport_error::bad_request);
          refusal = make_response(400, "text/plain; charset=utf-8", "Bad request\n", 11, false);
        } else if (ec != asio::error::operation_aborted) {
          ctx_->metrics.error(transport_error::io);
        }
        if (refusal) {
          any_response res = std::move(*refusal);
          finish_response(*ctx_, res, nullptr, is_tls);
          co_await write(res);
        }
        break;
      }
      http_request req = parser.release();
      if (over_limit_) {
        ctx_->metrics.error(transport_error::connection_limit);
        any_response res = make_response(503, "text/plain; charset=utf-8", "Server busy, try again shortly\n",
                                         req.version(), false);
        std::get<string_response>(res).set(http::field::retry_after, "5");
        finish_response(*ctx_, res, &req, is_tls);
        co_await write(res);
        break;
      }
      if (websocket::is_upgrade(req)) {
        if (co_await upgrade(std::move(req))) co_return;
        break;
      }
      any_response res = co_await route_request(*ctx_, req, is_tls);
      finish_response(*ctx_, res, &req, is_tls);
      const bool keep_alive = std::visit([](auto& r) { return r.keep_alive(); }, res);
      if (!co_await write(res) || !keep_alive || ctx_->stopping.load()) break;
    }
    co_await shutdown();
  }

  // true when the connection now belongs to a websocket session.
  asio::awaitable<bool> upgrade(http_request req) {
    const std::string_view path = target_path(req.target());
    std::optional<socket_kind> kind;
    if (path == "/ws/visitor") kind = socket_kind::visitor;
    if (path == "/ws/advisor") kind = socket_kind::advisor;
    unsigned refusal = 0;
    if (!kind) {
      refusal = 404;
    } else if (ctx_->options.tls && !is_tls) {
      refusal = 403;  // WebSocket only over TLS when TLS is configured
    } else if (!ctx_->security.origin_allowed(req[http::field::origin], req[http::field::host])) {
      ctx_->metrics.error(transport_error::origin_refused);
      ctx_->http_log->info("conn {} WebSocket origin refused", id_);
      refusal = 403;
    } else if (ctx_->stopping.load()) {
      refusal = 503;
    }
    if (refusal) {
      any_response res = make_response(refusal, "text/plain; charset=utf-8",
                                       refusal == 404 ? "Not found\n" : refusal == 403 ? "Forbidden\n" : "Unavailable\n",
                                       req.version(), false);
      finish_response(*ctx_, res, &req, is_tls);
      co_await write(res);
      co_return false;
    }
    upgraded_ = true;
    ctx_->sessions.remove(id_);
    start_websocket_session(ctx_, std::move(stream_), std::move(slot_), *kind, std::move(req));
    co_return true;
  }

  asio::awaitable<bool> write(any_response& res) {
    beast::get_lowest_layer(stream_).expires_after(ctx_->options.idle_timeout);
    beast::error_code ec;
    if (auto* s = std::get_if<string_response>(&res)) {
      std::tie(ec, std::ignore) = co_await http::async_write(stream_, *s, asio::as_tuple(asio::use_awaitable));
    } else {
      std::tie(ec, std::ignore) =
          co_await http::async_write(stream_, std::get<file_response>(res), asio::as_tuple(asio::use_awaitable));
    }
    co_return !ec;
  }

  asio::awaitable<void> shutdown() {
    beast::error_code ec;
    if constexpr (is_tls) {
      beast::get_lowest_layer(stream_).expires_after(ctx_->options.handshake_timeout);
      std::tie(ec) = co_await stream_.async_shutdown(asio::as_tuple(asio::use_awaitable));
    } else {
      beast::get_lowest_layer(stream_).socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    }
    beast::get_lowest_layer(stream_).close();
  }

  std::shared_ptr<server_context> ctx_;
  Stream stream_;
  asio::any_io_executor executor_;  // the connection's strand
  beast::flat_buffer buffer_;
  connection_slot slot_;
  bool over_limit_;
  bool upgraded_ = false;  // strand-only
  std::uint64_t id_;
};

}  // namespace helpline::net
