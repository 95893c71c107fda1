#include "redis/async_connection.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include "redis/error.hpp"

namespace helpline::redis {

async_connection::async_connection(strand_type strand, lost_handler lost)
    : strand_(strand), descriptor_(strand), lost_(std::move(lost)) {}

std::shared_ptr<async_connection> async_connection::open(strand_type strand,
                                                         const std::string& address,
                                                         std::uint16_t port, void* owner,
                                                         lost_handler lost) {
  redisAsyncContext* context = redisAsyncConnect(address.c_str(), port);
  if (context == nullptr) {
    throw error(errc::connection, "cannot allocate a hiredis context");
  }
  if (context->err != 0) {
    // Failed before any adapter was attached (e.g. connect(2) refused at once): nothing to clean.
    error failure = error_from_hiredis(context->err, context->errstr, 0);
    redisAsyncFree(context);
    throw failure;
  }
  std::shared_ptr<async_connection> self(new async_connection(strand, std::move(lost)));
  try {
    self->descriptor_.assign(context->c.fd);
  } catch (const std::exception& e) {
    redisAsyncFree(context);
    throw error(errc::connection, std::string("cannot watch the socket: ") + e.what());
  }
  self->context_ = context;
  context->data = owner;
  context->ev.data = self.get();
  context->ev.addRead = &hook_add_read;
  context->ev.delRead = &hook_del_read;
  context->ev.addWrite = &hook_add_write;
  context->ev.delWrite = &hook_del_write;
  context->ev.cleanup = &hook_cleanup;
  // Detect a peer that vanished without closing (power loss, network partition) on idle links.
  redisEnableKeepAlive(&context->c);
  // The connection is established when the socket first becomes writable.
  hook_add_write(self.get());
  return self;
}

async_connection::~async_connection() { close(); }

bool async_connection::send(const std::vector<std::string>& args, redisCallbackFn* callback,
                            void* privdata) {
  if (context_ == nullptr || args.empty()) {
    return false;
  }
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  return redisAsyncCommandArgv(context_, callback, privdata, static_cast<int>(argv.size()),
                               argv.data(), lengths.data()) == REDIS_OK;
}

void async_connection::close() noexcept {
  if (context_ == nullptr) {
    return;
  }
  redisAsyncContext* context = context_;
  // Runs pending callbacks with a null reply, then hook_cleanup, then closes the fd.
  redisAsyncFree(context);
  // hook_cleanup has normally done this already; kept in case a hiredis build skips the hook.
  context_gone(error(errc::connection, "connection closed"));
}

template <typename Start>
void async_connection::start_wait_or_fail(Start start) noexcept {
  // Hooks run inside hiredis (C frames): nothing may escape. If a wait cannot be started the
  // connection would hang, so it is closed from the strand instead (never from inside hiredis).
  try {
    start();
  } catch (const std::exception& e) {
    spdlog::error("redis: cannot wait for socket readiness: {}", e.what());
    try {
      asio::post(strand_, [weak = weak_from_this()] {
        if (auto self = weak.lock()) {
          self->close();
        }
      });
    } catch (...) {  // NOLINT(bugprone-empty-catch): nothing more can be done here
    }
  }
}

void async_connection::hook_add_read(void* self) noexcept {
  auto* conn = static_cast<async_connection*>(self);
  conn->want_read_ = true;
  conn->start_wait_or_fail([conn] { conn->wait_readable(); });
}

void async_connection::hook_del_read(void* self) noexcept {
  // A wait already in flight stays; its completion sees want_read_ == false and stops there.
  static_cast<async_connection*>(self)->want_read_ = false;
}

void async_connection::hook_add_write(void* self) noexcept {
  auto* conn = static_cast<async_connection*>(self);
  conn->want_write_ = true;
  conn->start_wait_or_fail([conn] { conn->wait_writable(); });
}

void async_connection::hook_del_write(void* self) noexcept {
  static_cast<async_connection*>(self)->want_write_ = false;
}

void async_connection::hook_cleanup(void* self) noexcept {
  auto* conn = static_cast<async_connection*>(self);
  // c.err is set when hiredis gives up by itself (EOF, I/O error, refused connect); after our
  // own close() it is 0.
  if (conn->context_ != nullptr && conn->context_->c.err != 0) {
    conn->context_gone(error_from_hiredis(conn->context_->c.err, conn->context_->c.errstr));
  } else {
    conn->context_gone(error(errc::connection, "connection closed"));
  }
}

void async_connection::context_gone(error why) noexcept {
  if (gone_) {
    return;
  }
  gone_ = true;
  context_ = nullptr;
  want_read_ = want_write_ = false;
  if (descriptor_.is_open()) {
    // hiredis closes the fd itself: release it (deregisters from the reactor and aborts the waits)
    // rather than close it twice.
    descriptor_.release();
  }
  if (lost_) {
    try {
      asio::post(strand_, [lost = std::move(lost_), why = std::move(why)]() { lost(why); });
    } catch (const std::exception& e) {
      spdlog::error("redis: cannot report a lost connection: {}", e.what());
    }
    lost_ = nullptr;
  }
}

void async_connection::wait_readable() {
  if (read_waiting_ || context_ == nullptr) {
    return;
  }
  read_waiting_ = true;
  descriptor_.async_wait(asio::posix::stream_descriptor::wait_read,
                         [self = shared_from_this()](const boost::system::error_code& ec) {
                           self->read_waiting_ = false;
                           if (self->context_ == nullptr || ec == asio::error::operation_aborted) {
                             return;
                           }
                           if (ec) {
                             self->close();
                             return;
                           }
                           if (self->want_read_) {
                             redisAsyncHandleRead(self->context_);  // may free the context
                           }
                           if (self->context_ != nullptr && self->want_read_) {
                             self->wait_readable();
                           }
                         });
}

void async_connection::wait_writable() {
  if (write_waiting_ || context_ == nullptr) {
    return;
  }
  write_waiting_ = true;
  descriptor_.async_wait(asio::posix::stream_descriptor::wait_write,
                         [self = shared_from_this()](const boost::system::error_code& ec) {
                           self->write_waiting_ = false;
                           if (self->context_ == nullptr || ec == asio::error::operation_aborted) {
                             return;
                           }
                           if (ec) {
                             self->close();
                             return;
                           }
                           if (self->want_write_) {
                             redisAsyncHandleWrite(self->context_);  // may free the context
                           }
                           if (self->context_ != nullptr && self->want_write_) {
                             self->wait_writable();
                           }
                         });
}

}  // namespace helpline::redis
