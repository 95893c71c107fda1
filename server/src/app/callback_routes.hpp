#pragma once
// Advisor endpoint, callbacks: the list of callbacks due, and claiming, releasing and recording
// the outcome of one (docs/protocol.md, "Callbacks").
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "app/advisor_handler.hpp"
#include "app/advisor_routes.hpp"

namespace helpline {

class callback_routes : public advisor_handler {
 public:
  using advisor_handler::advisor_handler;
  static void add_to(advisor_route_table& table);

 private:
  boost::asio::awaitable<void> callback(const boost::json::object& request);
  boost::asio::awaitable<void> on_callback(const std::string& type, const boost::json::object& request);
};

}  // namespace helpline
