#pragma once
// One console WebSocket of an advisor, supervisor or admin (docs/protocol.md, "Advisor
// endpoint"): the account logged in on it, the conversations it follows, and the events of the
// bus it passes on. Requests go through the advisor route table (advisor_routes.hpp), which
// enforces the role in one place; the handlers (session, casework, callbacks, supervision,
// administration) reach the connection through advisor_handler.
#include <memory>
#include <optional>
#include <string>

#include "app/account_store.hpp"
#include "app/client_connection.hpp"
#include "app/redis_call.hpp"

namespace helpline {

class advisor_connection : public client_connection, public std::enable_shared_from_this<advisor_connection> {
 public:
  using client_connection::client_connection;

  void on_close() override;
  void post_queue_snapshot(std::shared_ptr<const boost::json::object> snapshot);  // thread-safe

 protected:
  boost::asio::awaitable<void> handle(const std::string& type, const boost::json::object& request) override;
  void on_event(const boost::json::object& event) override;
  boost::json::object render_message(const std::string& conversation, long long seq,
                                     const boost::json::object& fields) const override;
  std::shared_ptr<client_connection> self() override { return shared_from_this(); }
  void resync() override;

 private:
  friend class advisor_handler;  // the handlers' view of this connection

  boost::asio::awaitable<void> send_offer(std::string conversation);
  boost::asio::awaitable<void> send_pending_offers();

  // The full conversation frame payload (state, flags, cues, answers, messages).
  boost::asio::awaitable<boost::json::object> conversation_payload(const std::string& conversation);
  void follow(const std::string& conversation, long long last_seq);
  void unfollow(const std::string& conversation);
  bool may_see(const std::string& conversation) const;

  std::optional<account> me_;
  std::shared_ptr<const boost::json::object> last_snapshot_;
};

}  // namespace helpline
