#include "net/session_registry.hpp"

#include <vector>

namespace helpline::net {

void session_registry::add(std::uint64_t id, std::weak_ptr<stoppable_session> session) {
  std::lock_guard lock(mutex_);
  sessions_[id] = std::move(session);
}

void session_registry::remove(std::uint64_t id) {
  std::lock_guard lock(mutex_);
  sessions_.erase(id);
}

void session_registry::stop_all() {
  std::vector<std::shared_ptr<stoppable_session>> live;
  {
    std::lock_guard lock(mutex_);
    live.reserve(sessions_.size());
    for (auto& [id, weak] : sessions_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
  }
  for (auto& s : live) s->stop();
}

std::size_t session_registry::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace helpline::net
