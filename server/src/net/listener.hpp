// Accepts connections, enforces max_connections, detects TLS when configured, and starts an
// http_session on a new strand per connection.
#pragma once

#include "net/server_context.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <memory>

namespace helpline::net {

class listener : public std::enable_shared_from_this<listener> {
 public:
  listener(boost::asio::io_context& ioc, std::shared_ptr<server_context> ctx);
  // Binds and listens (throws std::runtime_error), then accepts in the background.
  std::uint16_t start();
  void stop();  // thread-safe

 private:
  boost::asio::awaitable<void> accept_loop();
  void start_connection(boost::asio::ip::tcp::socket socket);

  boost::asio::io_context& ioc_;
  std::shared_ptr<server_context> ctx_;
  boost::asio::ip::tcp::acceptor acceptor_;  // used on its own strand only
};

}  // namespace helpline::net
