// State shared by the listener and every session of one http_server. Sessions hold it by
// shared_ptr; the application and metrics registry it refers to must outlive the io_context run.
#pragma once

#include "net/application.hpp"
#include "net/metrics_registry.hpp"
#include "net/security_policy.hpp"
#include "net/server_options.hpp"
#include "net/session_registry.hpp"
#include "net/static_files.hpp"
#include "net/transport_metrics.hpp"

#include <boost/asio/ssl/context.hpp>
#include <spdlog/logger.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>

namespace helpline::net {

struct server_context {
  server_context(server_options opts, application& application, metrics_registry& registry);

  server_options options;
  application& app;
  metrics_registry& registry;
  transport_metrics metrics;
  security_policy security;
  static_files files;
  std::optional<boost::asio::ssl::context> ssl;  // set when options.tls is
  session_registry sessions;
  std::atomic<std::size_t> open_connections{0};
  std::atomic<bool> stopping{false};
  std::shared_ptr<spdlog::logger> http_log;
  std::shared_ptr<spdlog::logger> ws_log;
};

// Connection ids are unique per process (across servers), for logs and websocket_session::id().
std::uint64_t next_connection_id() noexcept;

// One counted connection; released when destroyed. Moves from the HTTP session to the
// WebSocket session on upgrade, so an upgraded connection is counted once.
class connection_slot {
 public:
  connection_slot() = default;
  explicit connection_slot(std::shared_ptr<server_context> ctx) : ctx_(std::move(ctx)) {
    ctx_->open_connections.fetch_add(1, std::memory_order_relaxed);
  }
  connection_slot(connection_slot&& other) noexcept : ctx_(std::move(other.ctx_)) {}
  connection_slot& operator=(connection_slot&& other) noexcept {
    if (this != &other) {
      release();
      ctx_ = std::move(other.ctx_);
    }
    return *this;
  }
  connection_slot(const connection_slot&) = delete;
  connection_slot& operator=(const connection_slot&) = delete;
  ~connection_slot() { release(); }

 private:
  void release() noexcept {
    if (ctx_) ctx_->open_connections.fetch_sub(1, std::memory_order_relaxed);
    ctx_.reset();
  }
  std::shared_ptr<server_context> ctx_;
};

}  // namespace helpline::net
