#pragma once
// A Lua script and its SHA-1, so it can be run with EVALSHA (client::eval falls back to EVAL when
// Redis answers NOSCRIPT, e.g. after a restart or SCRIPT FLUSH).
#include <string>

namespace helpline::redis {

class script {
 public:
  explicit script(std::string source);
  const std::string& source() const noexcept { return source_; }
  const std::string& sha1() const noexcept { return sha1_; }  // lower-case hex, as Redis prints it

 private:
  std::string source_;
  std::string sha1_;
};

}  // namespace helpline::redis
