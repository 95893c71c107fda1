#include "app/advisor_handler.hpp"

#include "app/advisor_connection.hpp"
#include "app/json_fields.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;

advisor_handler::advisor_handler(advisor_connection& connection)
    : connection_(connection), app_(connection.app_), me_(connection.me_) {}

void advisor_handler::send(const json::object& frame) { connection_.send(frame); }
json::object advisor_handler::reply(json::object frame) const { return connection_.reply(std::move(frame)); }
std::uint64_t advisor_handler::id() const { return connection_.id(); }
std::shared_ptr<advisor_connection> advisor_handler::shared_from_this() { return connection_.shared_from_this(); }

bool advisor_handler::has_feed(const std::string& conversation) const { return connection_.has_feed(conversation); }
void advisor_handler::follow(const std::string& conversation, long long last_seq) {
  connection_.follow(conversation, last_seq);
}
void advisor_handler::unfollow(const std::string& conversation) { connection_.unfollow(conversation); }
bool advisor_handler::may_see(const std::string& conversation) const { return connection_.may_see(conversation); }
asio::awaitable<json::object> advisor_handler::conversation_payload(const std::string& conversation) {
  return connection_.conversation_payload(conversation);
}
json::object advisor_handler::render_message(const std::string& conversation, long long seq,
                                             const json::object& fields) const {
  return connection_.render_message(conversation, seq, fields);
}
asio::awaitable<void> advisor_handler::send_pending_offers() { return connection_.send_pending_offers(); }

std::string advisor_handler::type_of(const json::object& request) { return std::string(request.at("type").as_string()); }
std::string advisor_handler::conversation_id(const json::object& request) {
  return json_fields::required_string(request, "conversation_id", 64);
}

}  // namespace helpline
