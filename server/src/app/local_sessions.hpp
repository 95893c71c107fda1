#pragma once
// The connections on this node, indexed for event fan-out: by conversation (visitors and the
// advisors in it) and by advisor. Thread-safe; holds weak pointers, so a closed connection that
// has not unregistered yet is simply skipped. Bounded by the transport's max_connections.
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace helpline {

class visitor_connection;
class advisor_connection;

class local_sessions {
 public:
  void add_visitor(const std::string& conversation, const std::shared_ptr<visitor_connection>& c);
  void remove_visitor(const std::string& conversation, const visitor_connection* c);
  void add_watcher(const std::string& conversation, const std::shared_ptr<advisor_connection>& c);
  void remove_watcher(const std::string& conversation, const advisor_connection* c);
  void add_advisor(const std::string& advisor, const std::shared_ptr<advisor_connection>& c);
  // Returns how many connections of this advisor remain on this node.
  std::size_t remove_advisor(const std::string& advisor, const advisor_connection* c);

  std::vector<std::shared_ptr<visitor_connection>> visitors(const std::string& conversation) const;
  std::vector<std::shared_ptr<visitor_connection>> all_visitors() const;
  std::vector<std::shared_ptr<advisor_connection>> watchers(const std::string& conversation) const;
  std::vector<std::shared_ptr<advisor_connection>> advisor(const std::string& advisor) const;
  std::vector<std::shared_ptr<advisor_connection>> all_advisors() const;
  std::vector<std::string> visitor_conversations() const;
  std::vector<std::string> advisor_ids() const;
  std::size_t visitor_count() const;
  std::size_t advisor_count() const;

 private:
  template <class T>
  using index = std::unordered_map<std::string, std::vector<std::weak_ptr<T>>>;

  mutable std::mutex mutex_;
  index<visitor_connection> visitors_;
  index<advisor_connection> watchers_;
  index<advisor_connection> advisors_;
};

}  // namespace helpline
