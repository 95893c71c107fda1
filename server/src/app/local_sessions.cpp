#include "app/local_sessions.hpp"

#include <algorithm>

namespace helpline {
namespace {

template <class T>
void add(std::unordered_map<std::string, std::vector<std::weak_ptr<T>>>& idx, const std::string& key,
         const std::shared_ptr<T>& c) {
  auto& list = idx[key];
  for (const auto& w : list) {
    if (w.lock() == c) return;
  }
  list.push_back(c);
}

template <class T>
std::size_t remove(std::unordered_map<std::string, std::vector<std::weak_ptr<T>>>& idx, const std::string& key,
                   const T* c) {
  auto it = idx.find(key);
  if (it == idx.end()) return 0;
  auto& list = it->second;
  list.erase(std::remove_if(list.begin(), list.end(),
                            [&](const std::weak_ptr<T>& w) {
                              auto p = w.lock();
                              return !p || p.get() == c;
                            }),
             list.end());
  std::size_t left = list.size();
  if (list.empty()) idx.erase(it);
  return left;
}

template <class T>
std::vector<std::shared_ptr<T>> live(const std::vector<std::weak_ptr<T>>& list) {
  std::vector<std::shared_ptr<T>> out;
  for (const auto& w : list) {
    if (auto p = w.lock()) out.push_back(std::move(p));
  }
  return out;
}

template <class T>
std::vector<std::shared_ptr<T>> find(const std::unordered_map<std::string, std::vector<std::weak_ptr<T>>>& idx,
                                     const std::string& key) {
  auto it = idx.find(key);
  return it == idx.end() ? std::vector<std::shared_ptr<T>>{} : live(it->second);
}

}  // namespace

void local_sessions::add_visitor(const std::string& conv, const std::shared_ptr<visitor_connection>& c) {
  std::lock_guard lock(mutex_);
  add(visitors_, conv, c);
}
void local_sessions::remove_visitor(const std::string& conv, const visitor_connection* c) {
  std::lock_guard lock(mutex_);
  remove(visitors_, conv, c);
}
void local_sessions::add_watcher(const std::string& conv, const std::shared_ptr<advisor_connection>& c) {
  std::lock_guard lock(mutex_);
  add(watchers_, conv, c);
}
void local_sessions::remove_watcher(const std::string& conv, const advisor_connection* c) {
  std::lock_guard lock(mutex_);
  remove(watchers_, conv, c);
}
void local_sessions::add_advisor(const std::string& id, const std::shared_ptr<advisor_connection>& c) {
  std::lock_guard lock(mutex_);
  add(advisors_, id, c);
}
std::size_t local_sessions::remove_advisor(const std::string& id, const advisor_connection* c) {
  std::lock_guard lock(mutex_);
  return remove(advisors_, id, c);
}

std::vector<std::shared_ptr<visitor_connection>> local_sessions::visitors(const std::string& conv) const {
  std::lock_guard lock(mutex_);
  return find(visitors_, conv);
}
std::vector<std::shared_ptr<visitor_connection>> local_sessions::all_visitors() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<visitor_connection>> out;
  for (const auto& [k, list] : visitors_) {
    auto l = live(list);
    out.insert(out.end(), l.begin(), l.end());
  }
  return out;
}
std::vector<std::shared_ptr<advisor_connection>> local_sessions::watchers(const std::string& conv) const {
  std::lock_guard lock(mutex_);
  return find(watchers_, conv);
}
std::vector<std::shared_ptr<advisor_connection>> local_sessions::advisor(const std::string& id) const {
  std::lock_guard lock(mutex_);
  return find(advisors_, id);
}
std::vector<std::shared_ptr<advisor_connection>> local_sessions::all_advisors() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<advisor_connection>> out;
  for (const auto& [k, list] : advisors_) {
    auto l = live(list);
    out.insert(out.end(), l.begin(), l.end());
  }
  return out;
}
std::vector<std::string> local_sessions::visitor_conversations() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [k, list] : visitors_) out.push_back(k);
  return out;
}
std::vector<std::string> local_sessions::advisor_ids() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [k, list] : advisors_) out.push_back(k);
  return out;
}
std::size_t local_sessions::visitor_count() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [k, list] : visitors_) n += list.size();
  return n;
}
std::size_t local_sessions::advisor_count() const {
  std::lock_guard lock(mutex_);
  std::size_t n = 0;
  for (const auto& [k, list] : advisors_) n += list.size();
  return n;
}

}  // namespace helpline
