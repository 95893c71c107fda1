#include "redis/blocking_connection.hpp"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include <cerrno>
#include <chrono>

#include "redis/error.hpp"

namespace helpline::redis {

namespace {
timeval to_timeval(std::chrono::milliseconds duration) {
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(duration.count() / 1000);
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((duration.count() % 1000) * 1000);
  return tv;
}
}  // namespace

blocking_connection blocking_connection::connect(const options& opts) {
  context_ptr context(
      redisConnectWithTimeout(opts.host.c_str(), opts.port, to_timeval(opts.connect_timeout)));
  if (!context) {
    throw error(errc::connection, "cannot allocate a hiredis context");
  }
  if (context->err != 0) {
    throw error_from_hiredis(context->err, context->errstr, errno);
  }
  if (redisSetTimeout(context.get(), to_timeval(opts.command_timeout)) != REDIS_OK) {
    throw error_from_hiredis(context->err, context->errstr, errno);
  }
  blocking_connection connection(std::move(context));
  if (!opts.password.empty()) {
    connection.command({"AUTH", opts.password});
  }
  if (opts.db != 0) {
    connection.command({"SELECT", std::to_string(opts.db)});
  }
  return connection;
}

reply blocking_connection::send(const std::vector<std::string>& args) {
  if (!context_ || context_->err != 0) {
    throw error(errc::connection, "the redis connection failed earlier");
  }
  if (args.empty()) {
    throw std::invalid_argument("redis command without arguments");
  }
  std::vector<const char*> argv;
  std::vector<std::size_t> lengths;
  argv.reserve(args.size());
  lengths.reserve(args.size());
  for (const std::string& arg : args) {
    argv.push_back(arg.data());
    lengths.push_back(arg.size());
  }
  errno = 0;
  reply_ptr raw(static_cast<redisReply*>(redisCommandArgv(
      context_.get(), static_cast<int>(argv.size()), argv.data(), lengths.data())));
  const int saved_errno = errno;
  if (!raw) {
    throw error_from_hiredis(context_->err, context_->errstr, saved_errno);
  }
  return reply::from_hiredis(*raw);
}

reply blocking_connection::command(const std::vector<std::string>& args) {
  reply result = send(args);
  if (result.is_error()) {
    throw error_from_reply(std::move(result.str));
  }
  return result;
}

reply blocking_connection::eval(const script& s, const std::vector<std::string>& keys,
                                const std::vector<std::string>& args) {
  std::vector<std::string> evalsha{"EVALSHA", s.sha1(), std::to_string(keys.size())};
  evalsha.insert(evalsha.end(), keys.begin(), keys.end());
  evalsha.insert(evalsha.end(), args.begin(), args.end());
  reply result = send(evalsha);
  if (result.is_error() && result.str.starts_with("NOSCRIPT")) {
    evalsha[0] = "EVAL";
    evalsha[1] = s.source();
    result = send(evalsha);
  }
  if (result.is_error()) {
    throw error_from_reply(std::move(result.str));
  }
  return result;
}

}  // namespace helpline::redis
