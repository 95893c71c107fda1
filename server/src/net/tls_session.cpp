#include "net/http_session.hpp"
#include "net/session_start.hpp"

namespace helpline::net {

void start_tls_session(std::shared_ptr<server_context> ctx, beast::tcp_stream stream, beast::flat_buffer buffer,
                       connection_slot slot, bool over_limit) {
  auto& ssl = *ctx->ssl;
  std::make_shared<http_session<beast::ssl_stream<beast::tcp_stream>>>(
      std::move(ctx), beast::ssl_stream<beast::tcp_stream>(std::move(stream), ssl), std::move(buffer),
      std::move(slot), over_limit)
      ->run();
}

}  // namespace helpline::net
