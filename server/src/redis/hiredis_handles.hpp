#pragma once
// RAII owners for hiredis C handles (the asynchronous context is owned by async_connection, whose
// lifetime rules are special: hiredis may free it by itself).
#include <hiredis/hiredis.h>

#include <memory>

namespace helpline::redis {

struct reply_deleter {
  void operator()(redisReply* r) const noexcept { freeReplyObject(r); }
};
using reply_ptr = std::unique_ptr<redisReply, reply_deleter>;

struct context_deleter {
  void operator()(redisContext* c) const noexcept { redisFree(c); }
};
using context_ptr = std::unique_ptr<redisContext, context_deleter>;

}  // namespace helpline::redis
