#pragma once
// Advisor endpoint, administration (admins): accounts, opening hours and content reload; and the
// programme directory's HTTP API, which helpline_app serves, named here so that
// logged_in.features lists it.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "app/advisor_handler.hpp"
#include "app/advisor_routes.hpp"

namespace helpline {

class administration_routes : public advisor_handler {
 public:
  using advisor_handler::advisor_handler;
  static void add_to(advisor_route_table& table);

 private:
  boost::asio::awaitable<void> admin(const boost::json::object& request);
  boost::asio::awaitable<void> on_admin(const std::string& type, const boost::json::object& request);
};

}  // namespace helpline
