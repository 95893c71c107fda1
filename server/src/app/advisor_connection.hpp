#pragma once
// One console WebSocket of an advisor, supervisor or admin (docs/protocol.md, "Advisor
// endpoint"): login, presence, offers, conversations, transfer, join, end and wrap-up, callbacks.
// Roles are enforced here, on the server.
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
  boost::asio::awaitable<void> on_login(const boost::json::object& request);
  boost::asio::awaitable<void> on_presence(const boost::json::object& request);
  boost::asio::awaitable<void> on_accept(const std::string& conversation);
  boost::asio::awaitable<void> on_message(const std::string& conversation, const boost::json::object& request);
  boost::asio::awaitable<void> on_transfer(const std::string& conversation, const boost::json::object& request);
  boost::asio::awaitable<void> on_join(const std::string& conversation);
  boost::asio::awaitable<void> on_wrap_up(const std::string& conversation, const boost::json::object& request);
  boost::asio::awaitable<void> on_conversations();
  boost::asio::awaitable<void> on_history(const std::string& conversation, const boost::json::object& request);
  boost::asio::awaitable<void> on_programmes(const boost::json::object& request);
  boost::asio::awaitable<void> on_callback(const std::string& type, const boost::json::object& request);
  void on_content(const boost::json::object& request);
  boost::asio::awaitable<void> on_case_record(const std::string& type, const std::string& conversation,
                                              const boost::json::object& request);
  boost::asio::awaitable<void> on_advisors();
  boost::asio::awaitable<void> on_stats(const boost::json::object& request);
  boost::asio::awaitable<void> on_admin(const std::string& type, const boost::json::object& request);
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
