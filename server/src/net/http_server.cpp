#include "net/http_server.hpp"

#include "net/listener.hpp"
#include "net/server_context.hpp"

namespace helpline::net {

http_server::http_server(boost::asio::io_context& ioc, server_options opts, application& app, metrics_registry& metrics)
    : ioc_(ioc), ctx_(std::make_shared<server_context>(std::move(opts), app, metrics)) {}

http_server::~http_server() = default;

void http_server::start() {
  if (listener_) return;
  auto l = std::make_shared<listener>(ioc_, ctx_);
  port_ = l->start();
  listener_ = std::move(l);
}

void http_server::stop() {
  if (ctx_->stopping.exchange(true)) return;
  if (listener_) listener_->stop();
  ctx_->sessions.stop_all();
}

std::uint16_t http_server::port() const { return port_; }

std::size_t http_server::open_connections() const { return ctx_->open_connections.load(); }

}  // namespace helpline::net
