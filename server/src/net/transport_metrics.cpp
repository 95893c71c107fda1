#include "net/transport_metrics.hpp"

#include <string>

namespace helpline::net {

namespace {
constexpr std::uint16_t known_close_codes[] = {1000, 1001, 1003, 1006, 1007, 1008, 1009, 1011};
}

const char* to_string(socket_kind kind) noexcept { return kind == socket_kind::visitor ? "visitor" : "advisor"; }

const char* to_string(transport_error error) noexcept {
  switch (error) {
    case transport_error::bad_request: return "bad_request";
    case transport_error::body_too_large: return "body_too_large";
    case transport_error::header_too_large: return "header_too_large";
    case transport_error::request_timeout: return "request_timeout";
    case transport_error::tls_handshake: return "tls_handshake";
    case transport_error::ws_handshake: return "ws_handshake";
    case transport_error::origin_refused: return "origin_refused";
    case transport_error::connection_limit: return "connection_limit";
    case transport_error::message_too_big: return "message_too_big";
    case transport_error::invalid_utf8: return "invalid_utf8";
    case transport_error::binary_frame: return "binary_frame";
    case transport_error::flood: return "flood";
    case transport_error::slow_consumer: return "slow_consumer";
    case transport_error::idle_timeout: return "idle_timeout";
    case transport_error::close_timeout: return "close_timeout";
    case transport_error::handler_error: return "handler_error";
    case transport_error::io: return "io";
    case transport_error::count_: break;
  }
  return "unknown";
}

transport_metrics::per_kind transport_metrics::make_kind(metrics_registry& r, const char* kind) {
  const metric_labels l{{"kind", kind}};
  return per_kind{
      r.gauge("helpline_ws_connections_open", "Open WebSocket connections", l),
      r.counter("helpline_ws_messages_received_total", "WebSocket messages received", l),
      r.counter("helpline_ws_messages_sent_total", "WebSocket messages sent", l),
      r.counter("helpline_ws_received_bytes_total", "WebSocket payload bytes received", l),
      r.counter("helpline_ws_sent_bytes_total", "WebSocket payload bytes sent", l),
      r.counter("helpline_ws_flood_drops_total", "WebSocket messages dropped by flood control", l),
      r.counter("helpline_ws_write_queue_drops_total", "WebSocket messages dropped because the write queue was full", l),
  };
}

transport_metrics::transport_metrics(metrics_registry& r)
    : http_open_(r.gauge("helpline_http_connections_open", "Open HTTP connections (not yet upgraded)")),
      visitor_(make_kind(r, "visitor")),
      advisor_(make_kind(r, "advisor")) {
  for (std::size_t i = 0; i < errors_.size(); ++i) {
    errors_[i] = &r.counter("helpline_transport_errors_total", "Transport errors and refusals by reason",
                            {{"reason", to_string(static_cast<transport_error>(i))}});
  }
  for (std::size_t i = 0; i < std::size(known_close_codes); ++i) {
    closes_[i] = &r.counter("helpline_ws_closes_total", "WebSocket connections closed, by close code",
                            {{"code", std::to_string(known_close_codes[i])}});
  }
  closes_.back() = &r.counter("helpline_ws_closes_total", "WebSocket connections closed, by close code", {{"code", "other"}});
  for (std::size_t i = 0; i < http_responses_.size(); ++i) {
    http_responses_[i] = &r.counter("helpline_http_responses_total", "HTTP responses by status class",
                                    {{"class", std::to_string(i + 1) + "xx"}});
  }
}

void transport_metrics::close(std::uint16_t code) noexcept {
  for (std::size_t i = 0; i < std::size(known_close_codes); ++i) {
    if (known_close_codes[i] == code) {
      closes_[i]->inc();
      return;
    }
  }
  closes_.back()->inc();
}

void transport_metrics::http_response(unsigned status) noexcept {
  const unsigned cls = status / 100;
  if (cls >= 1 && cls <= 5) http_responses_[cls - 1]->inc();
}

}  // namespace helpline::net
