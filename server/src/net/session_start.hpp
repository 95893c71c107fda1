// Starts an http_session on an accepted connection. The plain and TLS instantiations of the
// session templates live in separate translation units (plain_session.cpp, tls_session.cpp) so
// they compile in parallel and nothing else includes the heavy session headers.
#pragma once

#include "net/server_context.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <memory>

namespace helpline::net {

void start_plain_session(std::shared_ptr<server_context> ctx, boost::beast::tcp_stream stream,
                         boost::beast::flat_buffer buffer, connection_slot slot, bool over_limit);
// Takes the stream after TLS was detected on it; `buffer` holds the bytes already read.
void start_tls_session(std::shared_ptr<server_context> ctx, boost::beast::tcp_stream stream,
                       boost::beast::flat_buffer buffer, connection_slot slot, bool over_limit);

}  // namespace helpline::net
