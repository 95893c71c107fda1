// Per-connection application logic, created by application::on_open.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <string>

namespace helpline::net {

namespace asio = boost::asio;

class connection_handler {
 public:
  virtual ~connection_handler() = default;
  // Called on the session's strand, one at a time, in order: the session does not read the next
  // message until this completes (backpressure + per-connection ordering). An exception closes
  // the connection with 1011.
  virtual asio::awaitable<void> on_text(std::string text) = 0;
  // Exactly once, when the connection ends for any reason (on the session's strand).
  virtual void on_close() = 0;
};

}  // namespace helpline::net
