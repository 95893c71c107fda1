#pragma once
// The base of the advisor endpoint's handler classes: what a handler may use of the connection it
// serves, under the names the handlers had when they were members of advisor_connection. A
// handler object is made for one request and lives as long as its handling.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>

#include "app/account_store.hpp"

namespace helpline {

class advisor_connection;
class app_services;

class advisor_handler {
 public:
  explicit advisor_handler(advisor_connection& connection);

 protected:
  void send(const boost::json::object& frame);
  boost::json::object reply(boost::json::object frame) const;  // with the request's "ref"
  std::uint64_t id() const;
  std::shared_ptr<advisor_connection> shared_from_this();

  bool has_feed(const std::string& conversation) const;
  void follow(const std::string& conversation, long long last_seq);
  void unfollow(const std::string& conversation);
  bool may_see(const std::string& conversation) const;
  boost::asio::awaitable<boost::json::object> conversation_payload(const std::string& conversation);
  boost::json::object render_message(const std::string& conversation, long long seq,
                                     const boost::json::object& fields) const;
  boost::asio::awaitable<void> send_pending_offers();

  // The request's type (the connection has checked it is a string) and conversation_id.
  static std::string type_of(const boost::json::object& request);
  static std::string conversation_id(const boost::json::object& request);

  advisor_connection& connection_;
  app_services& app_;
  std::optional<account>& me_;  // set by login only; every other route runs logged in
};

}  // namespace helpline
