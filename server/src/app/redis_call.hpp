#pragma once
// Runs Redis commands and scripts for the app, mapping failures to protocol errors in one place:
// a script's own refusal ("ERR conflict") becomes that protocol code; anything else about Redis
// (down, timeout, overloaded) becomes `unavailable` (nothing changed; the client may retry).
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>
#include <vector>

#include "app/record.hpp"
#include "app/redis_scripts.hpp"
#include "redis/client.hpp"

namespace helpline {

class redis_call {
 public:
  explicit redis_call(std::shared_ptr<redis::client> client) : client_(std::move(client)) {}

  boost::asio::awaitable<redis::reply> command(std::vector<std::string> args) const;
  // command() without a braced list (GCC 12 cannot compile a braced list inside co_await).
  template <class... Args>
  boost::asio::awaitable<redis::reply> call(const Args&... args) const {
    std::vector<std::string> argv{std::string(args)...};
    return command(std::move(argv));
  }
  // A script with its KEYS and ARGV, built by app/script_calls.hpp.
  boost::asio::awaitable<redis::reply> run(script_call call) const;
  boost::asio::awaitable<std::vector<redis::reply>> pipeline(std::vector<std::vector<std::string>> cmds) const;
  boost::asio::awaitable<record> hgetall(const std::string& key) const;  // empty when missing
  boost::asio::awaitable<void> publish(const std::string& payload) const;  // on keys::events

  static record to_record(const redis::reply& flat_pairs);
  const std::shared_ptr<redis::client>& client() const { return client_; }

 private:
  std::shared_ptr<redis::client> client_;
};

}  // namespace helpline
