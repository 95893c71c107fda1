#pragma once
// Advisor endpoint, supervision: joining and taking over a conversation, who is online with what
// load (advisors also read it to choose a transfer target) and the statistics for commissioners.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "app/advisor_handler.hpp"
#include "app/advisor_routes.hpp"

namespace helpline {

class supervision_routes : public advisor_handler {
 public:
  using advisor_handler::advisor_handler;
  static void add_to(advisor_route_table& table);

 private:
  boost::asio::awaitable<void> join(const boost::json::object& request);
  boost::asio::awaitable<void> take_over(const boost::json::object& request);
  boost::asio::awaitable<void> on_join(const std::string& conversation);
  boost::asio::awaitable<void> on_advisors(const boost::json::object& request);
  boost::asio::awaitable<void> on_stats(const boost::json::object& request);
};

}  // namespace helpline
