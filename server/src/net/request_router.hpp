// Routes plain HTTP requests (not WebSocket upgrades): /healthz, /readyz, /metrics, static
// files, GET / redirect, /api/* to the application, and a 404 page for the rest.
#pragma once

#include "net/http_types.hpp"
#include "net/server_context.hpp"

#include <boost/asio/awaitable.hpp>

#include <string_view>

namespace helpline::net {

// The path part of a request target (before '?').
std::string_view target_path(std::string_view target) noexcept;

// secure = the request came over TLS. Security headers are added by the caller (finish_response).
boost::asio::awaitable<any_response> route_request(server_context& ctx, const http_request& request, bool secure);

// Security headers, Server header and the status metric, on every response the transport sends.
void finish_response(server_context& ctx, any_response& response, const http_request* request, bool secure);

}  // namespace helpline::net
