#pragma once
// Advisor endpoint, session and presence: ping, login (and what a console gets on login),
// presence, and the reads a console makes after (re)connecting: queue and conversations.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "app/advisor_handler.hpp"
#include "app/advisor_routes.hpp"

namespace helpline {

class session_routes : public advisor_handler {
 public:
  using advisor_handler::advisor_handler;
  static void add_to(advisor_route_table& table);

 private:
  boost::asio::awaitable<void> on_ping(const boost::json::object& request);
  boost::asio::awaitable<void> on_login(const boost::json::object& request);
  boost::asio::awaitable<void> on_presence(const boost::json::object& request);
  boost::asio::awaitable<void> on_queue(const boost::json::object& request);
  boost::asio::awaitable<void> on_conversations(const boost::json::object& request);
};

}  // namespace helpline
