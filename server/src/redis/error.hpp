#pragma once
// The Redis layer's typed errors. Every hiredis failure and every error reply is turned into one of
// these in error.cpp, so callers decide on a small closed set instead of parsing hiredis codes.
#include <stdexcept>
#include <string>
#include <string_view>

namespace helpline::redis {

enum class errc {
  connection,  // cannot connect, or the connection was lost: the command may or may not have run
  timeout,     // no reply within options::command_timeout (the connection is then reset)
  server,      // Redis replied with an error; the message is kept ("NOSCRIPT ...", "ERR conflict")
  protocol,    // a reply had an unexpected shape (e.g. as_integer() on an array)
  overloaded,  // too many commands in flight (options::max_pending); nothing was sent
  closed,      // the client was stopped
};

std::string_view to_string(errc code) noexcept;

class error : public std::runtime_error {
 public:
  error(errc code, std::string message);
  errc code() const noexcept { return code_; }
  // The message without the code's description: for errc::server the error reply itself
  // ("ERR conflict"), which callers match on.
  const std::string& detail() const noexcept { return detail_; }

 private:
  errc code_;
  std::string detail_;
};

// The one place where hiredis error codes (REDIS_ERR_IO, REDIS_ERR_EOF, REDIS_ERR_PROTOCOL,
// REDIS_ERR_OOM, REDIS_ERR_OTHER) become errc. `saved_errno` is errno right after the failing call:
// a blocking context reports its socket timeout as REDIS_ERR_IO with EAGAIN.
error error_from_hiredis(int hiredis_err, std::string_view errstr, int saved_errno = 0);

// An error reply from Redis ("-ERR ...", "-NOSCRIPT ...", a script's redis.error_reply).
error error_from_reply(std::string message);

}  // namespace helpline::redis
