#include "net/session_start.hpp"
#include "net/websocket_session_impl.hpp"

namespace helpline::net {

void start_websocket_session(std::shared_ptr<server_context> ctx, beast::tcp_stream&& stream, connection_slot slot,
                             socket_kind kind, http_request request) {
  std::make_shared<websocket_session_impl<beast::tcp_stream>>(std::move(ctx), std::move(stream), std::move(slot), kind)
      ->run(std::move(request));
}

}  // namespace helpline::net
