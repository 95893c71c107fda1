// Open sessions that stop() must reach. Bounded: one entry per open connection, and connections
// are bounded by max_connections (plus the small refusal margin).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace helpline::net {

class stoppable_session {
 public:
  virtual ~stoppable_session() = default;
  // Thread-safe: asks the session to end (WebSocket: close 1001 "going away").
  virtual void stop() = 0;
};

class session_registry {
 public:
  void add(std::uint64_t id, std::weak_ptr<stoppable_session> session);
  void remove(std::uint64_t id);
  void stop_all();  // calls stop() outside the lock
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::weak_ptr<stoppable_session>> sessions_;
};

}  // namespace helpline::net
