#pragma once
// One WebSocket endpoint's message types: for each, the least access it needs and its handler.
// The connection looks a type up here and nowhere else, so a new message type is one entry here
// (plus docs/protocol.md and a test); the advisor endpoint's `logged_in.features` is read from it.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace helpline {

// `Access` is ordered: a connection with access A may send every type whose minimum is <= A.
template <class Connection, class Access>
class route_table {
 public:
  using handler = boost::asio::awaitable<void> (*)(Connection&, const boost::json::object&);
  struct route {
    Access minimum;
    handler handle;  // null for a feature that is not a WebSocket request (an HTTP API)
  };

  // A handler is a member function taking the request: of the connection itself, or of a
  // handler class constructed from the connection for each request (it lives as long as the call).
  template <auto member>
  void add(std::string type, Access minimum) {
    insert(std::move(type), {minimum, &invoke<member>});
  }
  // A feature clients are told about (logged_in.features) that is served elsewhere.
  void add_feature(std::string name, Access minimum) { insert(std::move(name), {minimum, nullptr}); }

  // The route for a WebSocket message type; null when the endpoint does not know it.
  const route* find(std::string_view type) const {
    auto it = routes_.find(type);
    return it == routes_.end() || !it->second.handle ? nullptr : &it->second;
  }
  // Every type and feature whose minimum lies in [from, up_to], sorted by name.
  std::vector<std::string> allowed(Access from, Access up_to) const {
    std::vector<std::string> out;
    for (const auto& [name, r] : routes_) {
      if (from <= r.minimum && r.minimum <= up_to) out.push_back(name);
    }
    return out;
  }

 private:
  template <class T>
  struct member_of;
  template <class C, class R, class A>
  struct member_of<R (C::*)(A)> {
    using type = C;
  };

  template <auto member>
  static boost::asio::awaitable<void> invoke(Connection& connection, const boost::json::object& request) {
    using owner = typename member_of<decltype(member)>::type;
    if constexpr (std::is_same_v<owner, Connection>) {
      co_await (connection.*member)(request);
    } else {
      owner handler(connection);
      co_await (handler.*member)(request);
    }
  }

  void insert(std::string name, route r) {
    // Two handlers for one type is a programming error, found at start.
    if (!routes_.emplace(std::move(name), r).second) throw std::logic_error("route_table: a type is routed twice");
  }

  std::map<std::string, route, std::less<>> routes_;
};

}  // namespace helpline
