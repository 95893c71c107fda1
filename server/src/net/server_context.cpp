#include "net/server_context.hpp"

#include "net/log.hpp"

#include <fmt/format.h>

#include <stdexcept>

namespace helpline::net {

namespace {

boost::asio::ssl::context make_ssl_context(const tls_options& tls) {
  namespace ssl = boost::asio::ssl;
  ssl::context ctx{ssl::context::tls_server};
  ctx.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                  ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  boost::system::error_code ec;
  ctx.use_certificate_chain_file(tls.cert_file, ec);
  if (ec) throw std::runtime_error(fmt::format("TLS: cannot load certificate chain '{}': {}", tls.cert_file, ec.message()));
  ctx.use_private_key_file(tls.key_file, ssl::context::pem, ec);
  if (ec) throw std::runtime_error(fmt::format("TLS: cannot load private key '{}': {}", tls.key_file, ec.message()));
  return ctx;
}

void validate(const server_options& o) {
  if (o.max_connections == 0) throw std::invalid_argument("server_options: max_connections must be > 0");
  if (o.max_message_bytes == 0) throw std::invalid_argument("server_options: max_message_bytes must be > 0");
  if (o.max_queued_messages == 0 || o.max_queued_bytes == 0) {
    throw std::invalid_argument("server_options: write queue limits must be > 0");
  }
  if (o.idle_timeout.count() <= 0 || o.handshake_timeout.count() <= 0) {
    throw std::invalid_argument("server_options: timeouts must be > 0");
  }
  if (!(o.messages_per_second >= 0.0) || !(o.burst >= 1.0)) {
    throw std::invalid_argument("server_options: messages_per_second must be >= 0 and burst >= 1");
  }
  if (o.flood_strikes_before_close == 0) throw std::invalid_argument("server_options: flood_strikes_before_close must be > 0");
  if (o.index_redirect.empty() || o.index_redirect.front() != '/') {
    throw std::invalid_argument("server_options: index_redirect must be a path starting with '/'");
  }
}

}  // namespace

server_context::server_context(server_options opts, application& the_app, metrics_registry& registry_)
    : options(std::move(opts)),
      app(the_app),
      registry(registry_),
      metrics(registry_),
      security(options),
      files(options.static_root),
      http_log(log::get("http")),
      ws_log(log::get("ws")) {
  validate(options);
  if (options.tls) ssl.emplace(make_ssl_context(*options.tls));
}

std::uint64_t next_connection_id() noexcept {
  static std::atomic<std::uint64_t> next{1};
  return next.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace helpline::net
