// What the helpline application plugs into the transport.
#pragma once

#include "net/connection_handler.hpp"
#include "net/websocket_session.hpp"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace helpline::net {

struct http_response {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

// Valid only during the handle_api call (views into the request being served).
struct http_request_view {
  std::string_view method;
  std::string_view target;  // path and query, as sent
  std::string_view body;
  std::function<std::string_view(std::string_view)> header;  // "" when absent
};

class application {
 public:
  virtual ~application() = default;
  // On the new session's strand, before its first read. nullptr -> the session closes with 1011.
  virtual std::shared_ptr<connection_handler> on_open(std::shared_ptr<websocket_session> session) = 0;
  virtual asio::awaitable<bool> ready() = 0;          // GET /readyz: 200 "ready" or 503
  virtual void append_metrics(std::string& out) = 0;  // appended to GET /metrics (app gauges)
  // Requests under /api/ go here; nullopt -> 404. An exception -> 500.
  virtual asio::awaitable<std::optional<http_response>> handle_api(http_request_view request) = 0;
};

}  // namespace helpline::net
