#pragma once
// One visitor's WebSocket (the widget): hello/resume, start, screening answers, messages,
// typing, end and callback requests (docs/protocol.md, "Visitor endpoint").
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "app/client_connection.hpp"
#include "app/conversation.hpp"
#include "app/queue_tracker.hpp"
#include "app/redis_call.hpp"
#include "app/route_table.hpp"
#include "triage/script_catalogue.hpp"
#include "triage/screening_script.hpp"

namespace helpline {

class visitor_connection : public client_connection, public std::enable_shared_from_this<visitor_connection> {
 public:
  using client_connection::client_connection;

  void on_close() override;
  void post_queue(const queue_position& position);  // thread-safe

 protected:
  boost::asio::awaitable<void> handle(const std::string& type, const boost::json::object& request) override;
  void on_event(const boost::json::object& event) override;
  boost::json::object render_message(const std::string& conversation, long long seq,
                                     const boost::json::object& fields) const override;
  std::shared_ptr<client_connection> self() override { return shared_from_this(); }
  void resync() override;

 private:
  // Requests: ping and hello at any time, the others once hello was answered (wrong_state before).
  enum class access { anyone, after_hello };
  static const route_table<visitor_connection, access>& routes();

  boost::asio::awaitable<void> on_ping(const boost::json::object& request);
  boost::asio::awaitable<void> on_hello(const boost::json::object& request);
  boost::asio::awaitable<void> on_start(const boost::json::object& request);
  boost::asio::awaitable<void> on_answer(const boost::json::object& request);
  boost::asio::awaitable<void> on_message(const boost::json::object& request);
  boost::asio::awaitable<void> on_typing(const boost::json::object& request);
  boost::asio::awaitable<void> on_end(const boost::json::object& request);
  boost::asio::awaitable<void> on_callback_request(const boost::json::object& request);
  boost::asio::awaitable<void> on_callback_cancel(const boost::json::object& request);

  void attach(const std::string& conversation, const helpline::conversation& conv);
  void detach();
  void require_conversation() const;
  boost::json::object snapshot(const conversation& conv) const;
  void send_queue_if_changed(const queue_position& p);
  // {"type":"safety",...} for high or imminent; null for lower levels.
  boost::json::value safety(std::string_view level) const;
  void send_safety_if_raised(std::string_view level);

  bool hello_done_ = false;
  std::string lang_;        // the conversation's language (one with a screening pack)
  std::string asked_lang_;  // what the visitor asked for (hello or start)
  std::string conversation_;
  std::string state_;
  // The script this visitor is screened with, kept alive across content reloads (script_ points
  // into scripts_), so a visitor mid-screening finishes the questions they started.
  std::shared_ptr<const triage::script_catalogue> scripts_;
  const triage::screening_script* script_ = nullptr;
  std::optional<queue_position> last_queue_;
  std::size_t callbacks_requested_ = 0;
  std::set<std::string> my_callbacks_;  // requested on this connection: only these can be cancelled
  int safety_rank_sent_ = 0;  // the highest level this connection was shown urgent help for
};

}  // namespace helpline
