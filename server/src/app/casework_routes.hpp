#pragma once
// Advisor endpoint, casework: what the conversation's advisor does in it (accept or decline the
// offer, messages, typing, transfer, end, wrap-up, history), the help they draw on (programmes,
// content) and the records kept on it (the four-eyes plan and its confirmation, disclosures).
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "app/advisor_handler.hpp"
#include "app/advisor_routes.hpp"

namespace helpline {

class casework_routes : public advisor_handler {
 public:
  using advisor_handler::advisor_handler;
  static void add_to(advisor_route_table& table);

 private:
  boost::asio::awaitable<void> accept(const boost::json::object& request);
  boost::asio::awaitable<void> decline(const boost::json::object& request);
  boost::asio::awaitable<void> message(const boost::json::object& request);
  boost::asio::awaitable<void> typing(const boost::json::object& request);
  boost::asio::awaitable<void> transfer(const boost::json::object& request);
  boost::asio::awaitable<void> end(const boost::json::object& request);
  boost::asio::awaitable<void> wrap_up(const boost::json::object& request);
  boost::asio::awaitable<void> history(const boost::json::object& request);
  boost::asio::awaitable<void> content(const boost::json::object& request);
  boost::asio::awaitable<void> case_record(const boost::json::object& request);  // plan, plan_confirm, disclosure_record

  boost::asio::awaitable<void> on_accept(const std::string& conversation);
  boost::asio::awaitable<void> on_message(const std::string& conversation, const boost::json::object& request);
  boost::asio::awaitable<void> on_transfer(const std::string& conversation, const boost::json::object& request);
  boost::asio::awaitable<void> on_wrap_up(const std::string& conversation, const boost::json::object& request);
  boost::asio::awaitable<void> on_history(const std::string& conversation, const boost::json::object& request);
  boost::asio::awaitable<void> on_programmes(const boost::json::object& request);
  void on_content(const boost::json::object& request);
  boost::asio::awaitable<void> on_case_record(const std::string& type, const std::string& conversation,
                                              const boost::json::object& request);
};

}  // namespace helpline
