#pragma once
// Connection settings shared by client, subscriber and blocking_connection.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace helpline::redis {

struct options {
  // A host name is resolved asynchronously (never blocking an io_context thread) before connecting.
  std::string host = "127.0.0.1";
  std::uint16_t port = 6379;
  std::string password;  // empty: no AUTH
  int db = 0;            // non-zero: SELECT on every (re)connect

  // Connecting includes AUTH/SELECT/PING: a server that accepts TCP but never answers also fails.
  std::chrono::milliseconds connect_timeout{2000};
  // A command without reply by then fails with errc::timeout and the connection is reset (the
  // other commands in flight on it fail with errc::connection; it then reconnects).
  std::chrono::milliseconds command_timeout{5000};
  // Backoff between connection attempts: doubles from reconnect_min up to reconnect_max.
  std::chrono::milliseconds reconnect_min{100};
  std::chrono::milliseconds reconnect_max{5000};
  // Commands in flight (a pipeline counts each command); beyond -> errc::overloaded at once, so a
  // slow Redis pushes back on callers instead of growing memory without bound.
  std::size_t max_pending = 10000;
};

}  // namespace helpline::redis
