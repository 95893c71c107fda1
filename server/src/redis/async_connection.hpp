#pragma once
// The Asio adapter for a hiredis redisAsyncContext (hiredis 0.14 ships adapters for libevent,
// libev, libuv... but not Asio).
//
// hiredis owns the socket: it connects, reads, writes and closes the file descriptor. Asio only
// waits for readiness (posix::stream_descriptor::async_wait) and then calls redisAsyncHandleRead /
// redisAsyncHandleWrite. hiredis asks for readiness through the ev.addRead/delRead/addWrite/
// delWrite hooks and announces the end of the context with ev.cleanup, at which point the
// descriptor is released (not closed: hiredis closes the fd itself right after).
//
// Everything here runs on one strand; every hiredis call is made from it, never from inside a
// hiredis callback (so redisAsyncFree is always immediate).
#include <hiredis/async.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/strand.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "redis/error.hpp"

namespace helpline::redis {

namespace asio = boost::asio;

class async_connection : public std::enable_shared_from_this<async_connection> {
 public:
  using strand_type = asio::strand<asio::any_io_executor>;
  // Called once, posted to the strand, after hiredis has freed the context for any reason (server
  // closed, I/O error, connect refused, close()). The argument says why, as a typed error
  // (error_from_hiredis), without addresses.
  using lost_handler = std::function<void(const error& why)>;

  // Starts a non-blocking connect to a numeric address (host names must be resolved first: hiredis
  // would resolve them with a blocking getaddrinfo). `owner` is stored in redisAsyncContext::data
  // for the owner's reply callbacks. Throws error(errc::connection) if hiredis fails at once.
  static std::shared_ptr<async_connection> open(strand_type strand, const std::string& address,
                                                std::uint16_t port, void* owner, lost_handler lost);

  async_connection(const async_connection&) = delete;
  async_connection& operator=(const async_connection&) = delete;
  ~async_connection();

  // False once hiredis has freed the context.
  bool alive() const noexcept { return context_ != nullptr; }

  // Queues one command; hiredis writes it when the socket is writable, so commands queued in the
  // same strand turn go out in one write. Returns false (and `callback` will never run) when the
  // context is gone or refusing commands.
  bool send(const std::vector<std::string>& args, redisCallbackFn* callback, void* privdata);

  // Frees the context now: hiredis calls every pending callback with a null reply, then the lost
  // handler is posted. Call on the strand, never from inside a hiredis callback.
  void close() noexcept;

 private:
  async_connection(strand_type strand, lost_handler lost);

  static void hook_add_read(void* self) noexcept;
  static void hook_del_read(void* self) noexcept;
  static void hook_add_write(void* self) noexcept;
  static void hook_del_write(void* self) noexcept;
  static void hook_cleanup(void* self) noexcept;

  template <typename Start>
  void start_wait_or_fail(Start start) noexcept;
  void wait_readable();
  void wait_writable();
  void context_gone(error why) noexcept;

  strand_type strand_;
  asio::posix::stream_descriptor descriptor_;
  redisAsyncContext* context_ = nullptr;  // owned by hiredis once connected; null after cleanup
  lost_handler lost_;
  bool gone_ = false;  // the context was freed and the lost handler posted
  bool want_read_ = false;
  bool want_write_ = false;
  bool read_waiting_ = false;
  bool write_waiting_ = false;
};

}  // namespace helpline::redis
