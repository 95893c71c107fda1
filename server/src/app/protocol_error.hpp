#pragma once
// A request the server refuses, with the protocol's error code (docs/protocol.md, "Errors").
// Thrown by handlers, turned into {"type":"error","code":...} by the connection.
#include <stdexcept>
#include <string>

namespace helpline {

class protocol_error : public std::runtime_error {
 public:
  protocol_error(std::string code, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const noexcept { return code_; }

 private:
  std::string code_;
};

}  // namespace helpline
