#include "net/http_session.hpp"
#include "net/session_start.hpp"

namespace helpline::net {

void start_plain_session(std::shared_ptr<server_context> ctx, beast::tcp_stream stream, beast::flat_buffer buffer,
                         connection_slot slot, bool over_limit) {
  std::make_shared<http_session<beast::tcp_stream>>(std::move(ctx), std::move(stream), std::move(buffer),
                                                    std::move(slot), over_limit)
      ->run();
}

}  // namespace helpline::net
