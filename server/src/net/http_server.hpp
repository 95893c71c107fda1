// The transport: one port for HTTP, WebSocket and (optionally) TLS. The caller runs the
// io_context (on server_options::threads threads); each connection gets its own strand.
// The application and metrics registry must outlive the io_context's run.
#pragma once

#include "net/application.hpp"
#include "net/metrics_registry.hpp"
#include "net/server_options.hpp"

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <memory>

namespace helpline::net {

struct server_context;
class listener;

class http_server {
 public:
  // Throws std::invalid_argument for options out of range and std::runtime_error for TLS files
  // that cannot be loaded.
  http_server(boost::asio::io_context& ioc, server_options opts, application& app, metrics_registry& metrics);
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  // Binds and listens; throws std::runtime_error naming address and port if that fails (port taken).
  void start();
  // Thread-safe, idempotent: stops accepting, closes WebSocket sessions with 1001 "going away"
  // (after their queued writes) and idle HTTP connections. io_context::run returns once they end.
  void stop();
  std::uint16_t port() const;  // the bound port (useful with port 0)
  // Connections currently open (HTTP and WebSocket), for tests and diagnostics.
  std::size_t open_connections() const;

 private:
  boost::asio::io_context& ioc_;
  std::shared_ptr<server_context> ctx_;
  std::shared_ptr<listener> listener_;
  std::uint16_t port_ = 0;
};

}  // namespace helpline::net
