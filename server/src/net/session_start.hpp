// Starts an http_session on an accepted connection, and a websocket session on an upgraded one.
// Each instantiation of the session templates lives in its own translation unit, so they compile
// in parallel and nothing else includes the heavy session headers:
//   plain_session.cpp      http_session<tcp_stream>
//   tls_session.cpp        http_session<ssl_stream<tcp_stream>>
//   plain_websocket.cpp    websocket_session_impl<tcp_stream>
//   tls_websocket.cpp      websocket_session_impl<ssl_stream<tcp_stream>>
#pragma once

#include "net/http_types.hpp"
#include "net/server_context.hpp"
#include "net/websocket_session.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <memory>

namespace helpline::net {

void start_plain_session(std::shared_ptr<server_context> ctx, boost::beast::tcp_stream stream,
                         boost::beast::flat_buffer buffer, connection_slot slot, bool over_limit);
// Takes the stream after TLS was detected on it; `buffer` holds the bytes already read.
void start_tls_session(std::shared_ptr<server_context> ctx, boost::beast::tcp_stream stream,
                       boost::beast::flat_buffer buffer, connection_slot slot, bool over_limit);

// Completes the WebSocket opening handshake for `request` on an upgraded stream, then serves it.
void start_websocket_session(std::shared_ptr<server_context> ctx, boost::beast::tcp_stream&& stream,
                             connection_slot slot, socket_kind kind, http_request request);
void start_websocket_session(std::shared_ptr<server_context> ctx,
                             boost::beast::ssl_stream<boost::beast::tcp_stream>&& stream, connection_slot slot,
                             socket_kind kind, http_request request);

}  // namespace helpline::net
