#pragma once
// What visitor and advisor connections share: JSON framing and typed errors, and the message
// feeds that deliver each conversation's messages in sequence order, exactly once, filling any
// gap (a missed pub/sub event, a reconnect) from the stored stream.
#include <boost/json/object.hpp>
#include <map>
#include <memory>
#include <string>

#include "net/connection_handler.hpp"
#include "net/websocket_session.hpp"

namespace helpline {

class app_services;

class client_connection : public net::connection_handler {
 public:
  client_connection(app_services& app, std::shared_ptr<net::websocket_session> session);

  boost::asio::awaitable<void> on_text(std::string text) final;

  // Thread-safe: an event from the bus for this connection, handled on the connection's strand.
  void post_event(std::shared_ptr<const boost::json::object> event);
  // Thread-safe: fetch anything missed in every feed (after the event bus reconnects).
  void post_resync();

  std::uint64_t id() const { return session_->id(); }

 protected:
  virtual boost::asio::awaitable<void> handle(const std::string& type, const boost::json::object& request) = 0;
  virtual void on_event(const boost::json::object& event) = 0;
  // The frame for one stored message as this side sees it; empty when this side must not see it
  // (a team note, for a visitor): the feed still moves past its seq.
  virtual boost::json::object render_message(const std::string& conversation, long long seq,
                                             const boost::json::object& fields) const = 0;
  virtual std::shared_ptr<client_connection> self() = 0;
  // On the strand after the event bus reconnected: fill every feed; derived classes add their own.
  virtual void resync();

  void send(const boost::json::object& frame);
  void send_error(const std::string& code, const std::string& message);
  const boost::json::value* ref() const { return current_ref_.is_null() ? nullptr : &current_ref_; }
  // Adds "ref" of the request being handled, if any.
  boost::json::object reply(boost::json::object frame) const;

  // Feeds: start delivering a conversation's messages after `last_seq` (sends what is missing).
  void open_feed(const std::string& conversation, long long last_seq);
  void close_feed(const std::string& conversation);
  bool has_feed(const std::string& conversation) const { return feeds_.count(conversation) > 0; }
  std::size_t feed_count() const { return feeds_.size(); }
  std::vector<std::string> followed() const;
  // A live message event (seq + fields) for a conversation this connection follows.
  void deliver_message(const std::string& conversation, long long seq, const boost::json::object& fields);

  app_services& app_;
  std::shared_ptr<net::websocket_session> session_;

 private:
  struct feed {
    long long last_sent = 0;   // highest seq sent to the client
    long long wanted = 0;      // highest seq known to exist
    bool catching_up = false;
  };
  boost::asio::awaitable<void> catch_up(std::string conversation);
  void start_catch_up(const std::string& conversation);

  std::map<std::string, feed> feeds_;
  boost::json::value current_ref_;
};

}  // namespace helpline
