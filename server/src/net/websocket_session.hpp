// The app-facing view of one WebSocket connection. Non-template so that plain and TLS sessions
// look the same to the application; the implementation is websocket_session_impl<Stream>.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <cstdint>
#include <memory>
#include <string>

namespace helpline::net {

namespace asio = boost::asio;

enum class socket_kind { visitor, advisor };  // /ws/visitor and /ws/advisor

const char* to_string(socket_kind kind) noexcept;

class websocket_session {
 public:
  virtual ~websocket_session() = default;
  websocket_session(const websocket_session&) = delete;
  websocket_session& operator=(const websocket_session&) = delete;

  // Thread-safe. Queues a text frame; one write in flight. Queue full (server_options
  // max_queued_messages / max_queued_bytes) -> the message is dropped and the session is closed
  // with 1008 "slow consumer". No-op once the session is closing.
  virtual void send(std::shared_ptr<const std::string> text) = 0;
  // Thread-safe. Sends a close frame with this code/reason after the queued writes, then ends.
  // A peer that does not complete the close within handshake_timeout is disconnected.
  virtual void close(std::uint16_t code, std::string reason) = 0;
  virtual std::uint64_t id() const noexcept = 0;  // unique per process
  virtual socket_kind kind() const noexcept = 0;
  virtual asio::any_io_executor executor() const = 0;  // the session's strand

 protected:
  websocket_session() = default;
};

}  // namespace helpline::net
