#pragma once
// A synchronous Redis connection for command-line tools (e.g. `helpline user add`) that run before
// or without an io_context.
//
// NEVER use it on an io_context thread: every call blocks the thread until Redis answers or the
// timeout passes. The server uses client / subscriber instead.
#include <string>
#include <vector>

#include "redis/hiredis_handles.hpp"
#include "redis/options.hpp"
#include "redis/reply.hpp"
#include "redis/script.hpp"

namespace helpline::redis {

class blocking_connection {
 public:
  // Connects (within options::connect_timeout), then AUTH / SELECT as configured. Throws error:
  // errc::connection when unreachable, errc::server when AUTH or SELECT is refused.
  static blocking_connection connect(const options& opts);

  // One command; each waits at most options::command_timeout (errc::timeout). Error replies throw
  // errc::server with the text. After a connection-level failure (connection, timeout, protocol)
  // the connection is unusable and later calls throw errc::connection.
  reply command(const std::vector<std::string>& args);
  // EVALSHA, falling back to EVAL on NOSCRIPT (as client::eval).
  reply eval(const script& s, const std::vector<std::string>& keys,
             const std::vector<std::string>& args);

 private:
  explicit blocking_connection(context_ptr context) : context_(std::move(context)) {}
  // Like command() but returns error replies instead of throwing.
  reply send(const std::vector<std::string>& args);

  context_ptr context_;
};

}  // namespace helpline::redis
