// The transport's own metrics, registered once per server so hot paths only touch atomics.
#pragma once

#include "net/metrics_registry.hpp"
#include "net/websocket_session.hpp"

#include <array>
#include <cstdint>

namespace helpline::net {

// Why a connection failed or a message was refused (the "reason" label).
enum class transport_error {
  bad_request,        // malformed HTTP -> 400
  body_too_large,     // -> 413
  header_too_large,   // -> 431
  request_timeout,    // HTTP request not complete within handshake_timeout (slowloris)
  tls_handshake,      // TLS handshake failed or timed out
  ws_handshake,       // WebSocket opening handshake failed
  origin_refused,     // WebSocket Origin not allowed -> 403
  connection_limit,   // over max_connections -> 503 or closed
  message_too_big,    // -> 1009
  invalid_utf8,       // -> 1007
  binary_frame,       // -> 1003
  flood,              // flood_strikes_before_close reached -> 1008
  slow_consumer,      // write queue full -> 1008
  idle_timeout,       // peer silent for idle_timeout
  close_timeout,      // peer did not complete the closing handshake in time: disconnected
  handler_error,      // connection_handler threw -> 1011
  io,                 // any other network error
  count_
};

const char* to_string(transport_error error) noexcept;

class transport_metrics {
 public:
  struct per_kind {
    metric_gauge& open;
    metric_counter& messages_in;
    metric_counter& messages_out;
    metric_counter& bytes_in;
    metric_counter& bytes_out;
    metric_counter& flood_drops;        // messages dropped by flood control
    metric_counter& write_queue_drops;  // messages dropped because the write queue was full
  };

  explicit transport_metrics(metrics_registry& registry);

  per_kind& kind(socket_kind k) noexcept { return k == socket_kind::visitor ? visitor_ : advisor_; }
  metric_gauge& http_open() noexcept { return http_open_; }
  void error(transport_error e) noexcept { errors_[static_cast<std::size_t>(e)]->inc(); }
  void close(std::uint16_t code) noexcept;          // close code sent or received (1006 = none)
  void http_response(unsigned status) noexcept;     // by status class

 private:
  static per_kind make_kind(metrics_registry& registry, const char* kind);
  metric_gauge& http_open_;
  per_kind visitor_;
  per_kind advisor_;
  std::array<metric_counter*, static_cast<std::size_t>(transport_error::count_)> errors_{};
  std::array<metric_counter*, 9> closes_{};  // known codes + "other"
  std::array<metric_counter*, 5> http_responses_{};  // 1xx..5xx
};

}  // namespace helpline::net
