
#include "net/listener.hpp"

#include "net/session_start.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <fmt/format.h>

#include <stdexcept>

namespace helpline::net {

namespace {

// Connections past max_connections are still answered 503 up to this many more; past that they
// are closed at once, so a flood of connections costs almost nothing.
constexpr std::size_t refusal_margin = 64;

asio::awaitable<void> detect_and_serve(std::shared_ptr<server_context> ctx, beast::tcp_stream stream,
                                       connection_slot slot, bool over_limit) {
  beast::flat_buffer buffer;
  stream.expires_after(ctx->options.handshake_timeout);
  auto [ec, is_tls] = co_await beast::async_detect_ssl(stream, buffer, asio::as_tuple(asio::use_awaitable));
  if (ec) {
    if (ec == beast::error::timeout) ctx->metrics.error(transport_error::request_timeout);
    co_return;
  }
  if (is_tls) {
    start_tls_session(std::move(ctx), std::move(stream), std::move(buffer), std::move(slot), over_limit);
  } else {
    start_plain_session(std::move(ctx), std::move(stream), std::move(buffer), std::move(slot), over_limit);
  }
}

}  // namespace

listener::listener(asio::io_context& ioc, std::shared_ptr<server_context> ctx)
    : ioc_(ioc), ctx_(std::move(ctx)), acceptor_(asio::make_strand(ioc)) {}

std::uint16_t listener::start() {
  const auto& o = ctx_->options;
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(o.address, ec);
  if (ec) throw std::runtime_error(fmt::format("cannot listen: invalid address '{}'", o.address));
  const asio::ip::tcp::endpoint endpoint{address, o.port};
  auto fail = [&](const char* what) {
    throw std::runtime_error(fmt::format("cannot listen on {}:{}: {} failed: {}", o.address, o.port, what, ec.message()));
  };
  acceptor_.open(endpoint.protocol(), ec);
  if (ec) fail("open");
  acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) fail("SO_REUSEADDR");
  acceptor_.bind(endpoint, ec);
  if (ec) fail("bind");
  acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) fail("listen");
  const auto port = acceptor_.local_endpoint().port();
  asio::co_spawn(acceptor_.get_executor(), [self = shared_from_this()] { return self->accept_loop(); }, asio::detached);
  ctx_->http_log->info("listening on port {}{}", port, o.tls ? " (TLS and plain)" : "");
  return port;
}

void listener::stop() {
  asio::post(acceptor_.get_executor(), [self = shared_from_this()] {
    boost::system::error_code ignored;
    self->acceptor_.close(ignored);
  });
}

asio::awaitable<void> listener::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::make_strand(ioc_), asio::as_tuple(asio::use_awaitable));
    if (!acceptor_.is_open() || ec == asio::error::operation_aborted) break;
    if (ec) {
      // Out of file descriptors and the like: pause briefly rather than spin.
      ctx_->http_log->warn("accept failed: {}", ec.message());
      asio::steady_timer pause(acceptor_.get_executor(), std::chrono::milliseconds(100));
      co_await pause.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    start_connection(std::move(socket));
  }
  ctx_->http_log->info("stopped accepting");
}

void listener::start_connection(asio::ip::tcp::socket socket) {
  const std::size_t max = ctx_->options.max_connections;
  connection_slot slot(ctx_);
  const std::size_t open = ctx_->open_connections.load(std::memory_order_relaxed);  // includes this one
  if (open > max + refusal_margin) {
    ctx_->metrics.error(transport_error::connection_limit);
    boost::system::error_code ignored;
    socket.close(ignored);
    return;
  }
  const bool over_limit = open > max;
  beast::tcp_stream stream(std::move(socket));
  if (ctx_->options.tls) {
    auto executor = stream.get_executor();
    asio::co_spawn(executor, detect_and_serve(ctx_, std::move(stream), std::move(slot), over_limit), asio::detached);
    return;
  }
  start_plain_session(ctx_, std::move(stream), beast::flat_buffer{}, std::move(slot), over_limit);
}

}  // namespace helpline::net
