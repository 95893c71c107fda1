// Transport configuration: one struct, every limit bounded and commented (uWebSockets style).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace helpline::net {

struct tls_options {
  std::string cert_file;  // PEM certificate chain
  std::string key_file;   // PEM private key
};

struct server_options {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 = pick a free port (tests); http_server::port() tells which
  // Threads the caller should run the io_context on (http_server itself starts no threads).
  std::size_t threads = 2;
  // Open connections (HTTP and WebSocket together). Beyond: HTTP 503, WebSocket upgrade refused
  // with 503. A further small overflow margin is answered 503; past that, sockets are closed at once.
  std::size_t max_connections = 10000;
  // Largest WebSocket message accepted; larger -> close 1009. Room for the longest text (4,000
  // characters of up to 4 bytes each) with its JSON around it.
  std::size_t max_message_bytes = 20 * 1024;
  // WebSocket: a ping after half of this without traffic; peer silent this long -> closed.
  // HTTP: a keep-alive connection with no request this long is closed.
  std::chrono::seconds idle_timeout{60};
  // Whole HTTP request header+body, TLS handshake, WebSocket opening and closing handshakes must
  // complete within this (slowloris guard).
  std::chrono::seconds handshake_timeout{10};
  // Per-session write queue. Full -> session closed with 1008 "slow consumer" (nothing stored is
  // lost: clients reconnect and resume from their last sequence number).
  std::size_t max_queued_messages = 512;
  std::size_t max_queued_bytes = 4 * 1024 * 1024;
  // Flood control per WebSocket (token bucket): a message over the limit is dropped, the client
  // gets {"type":"error","code":"rate_limited",...}, and that counts one strike.
  double messages_per_second = 8.0;
  double burst = 20.0;
  // Strikes -> close 1008 "flood". Strikes are forgiven once the bucket has refilled completely.
  std::size_t flood_strikes_before_close = 20;
  // HTTP request body limit -> 413. Request headers are limited to 8 KiB -> 431.
  std::size_t max_request_body_bytes = 64 * 1024;
  // WebSocket Origin check. Empty = same host only (Origin host:port equals Host);
  // "*" = any; otherwise exact origins such as "https://helpline.example". A request with no
  // Origin header (not a browser) is allowed. The list also feeds /widget/ frame-ancestors.
  std::vector<std::string> allowed_origins;
  // Serves /widget/* from static_root/web-widget and /console/* from static_root/web-console.
  // Empty = no static files (404).
  std::filesystem::path static_root;
  std::string index_redirect = "/widget/demo/";  // GET / redirects here
  // Set -> HTTPS/WSS on the same port (TLS detected per connection). Plain HTTP on a TLS port
  // only serves /healthz, /readyz and /metrics; everything else is redirected to https.
  std::optional<tls_options> tls;
};

}  // namespace helpline::net
