#include "redis/error.hpp"

#include <hiredis/hiredis.h>

#include <cerrno>

namespace helpline::redis {

std::string_view to_string(errc code) noexcept {
  switch (code) {
    case errc::connection:
      return "connection";
    case errc::timeout:
      return "timeout";
    case errc::server:
      return "server";
    case errc::protocol:
      return "protocol";
    case errc::overloaded:
      return "overloaded";
    case errc::closed:
      return "closed";
  }
  return "unknown";
}

namespace {
std::string describe(errc code, std::string_view message) {
  std::string text = "redis ";
  text += to_string(code);
  if (!message.empty()) {
    text += ": ";
    text += message;
  }
  return text;
}
}  // namespace

error::error(errc code, std::string message)
    : std::runtime_error(describe(code, message)), code_(code), detail_(std::move(message)) {}

error error_from_hiredis(int hiredis_err, std::string_view errstr, int saved_errno) {
  std::string message(errstr);
  switch (hiredis_err) {
    case REDIS_ERR_IO:
      // A blocking context with a socket timeout fails reads with EAGAIN / EWOULDBLOCK.
      if (saved_errno == EAGAIN || saved_errno == EWOULDBLOCK) {
        return {errc::timeout, message.empty() ? "no reply in time" : message};
      }
      return {errc::connection, std::move(message)};
    case REDIS_ERR_EOF:
      return {errc::connection, message.empty() ? "connection closed by server" : message};
    case REDIS_ERR_PROTOCOL:
      return {errc::protocol, std::move(message)};
    case REDIS_ERR_OOM:
      // hiredis gives up on the context when it cannot allocate: the connection is gone and a
      // command may or may not have been sent.
      return {errc::connection, message.empty() ? "out of memory" : message};
    case REDIS_ERR_OTHER:
    default:
      // REDIS_ERR_OTHER covers connect failures (refused, unknown host) and invalid states.
      return {errc::connection, std::move(message)};
  }
}

error error_from_reply(std::string message) { return {errc::server, std::move(message)}; }

}  // namespace helpline::redis
