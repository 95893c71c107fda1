#pragma once
// A synchronous WebSocket client over loopback for tests: one per simulated user (a visitor's
// widget, an advisor's console). It reads continuously in the background of each call, so every
// frame the server sends is kept: tests receive frames selectively (by type, by ref, by a
// predicate) and the others stay in the inbox for later assertions. Every frame sent and received
// is remembered for diagnostics, and a wait that times out or meets a closed connection throws
// protocol_failure quoting them, which GoogleTest reports as the test's failure.
#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace test_support {

class protocol_failure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ws_client {
 public:
  using frame_predicate = std::function<bool(const boost::json::object&)>;
  // Generous: a frame that should come arrives in milliseconds; this only bounds a broken run on
  // a busy machine (sanitized servers, several tests at once under ctest -j).
  static constexpr std::chrono::milliseconds default_timeout{30000};

  // `name` appears in every diagnostic ("visitor 1", "advisor sam").
  explicit ws_client(std::string name);
  ~ws_client();
  ws_client(const ws_client&) = delete;
  ws_client& operator=(const ws_client&) = delete;

  const std::string& name() const;

  // Connects to ws://127.0.0.1:<port><target>; throws protocol_failure on failure.
  void connect(std::uint16_t port, std::string_view target);
  // Connects and returns false instead of throwing (for probing a server that may be down).
  bool try_connect(std::uint16_t port, std::string_view target);

  // Sends one JSON object as a text frame.
  void send(const boost::json::object& frame);
  // Sends any bytes as one text frame, unchecked (invalid JSON, invalid UTF-8, oversized).
  void send_text(std::string_view text);
  void send_binary(std::string_view bytes);

  // The oldest frame not yet received by a test.
  boost::json::object recv(std::chrono::milliseconds timeout = default_timeout);
  // The oldest unreceived frame of this type; other frames stay in the inbox.
  boost::json::object recv_type(std::string_view type, std::chrono::milliseconds timeout = default_timeout);
  // The oldest unreceived frame for which `match` is true; `what` describes it for diagnostics.
  boost::json::object recv_match(const frame_predicate& match, std::string_view what,
                                 std::chrono::milliseconds timeout = default_timeout);
  // The direct reply to a request: the oldest unreceived frame whose "ref" equals `ref`.
  boost::json::object recv_reply(const boost::json::value& ref,
                                 std::chrono::milliseconds timeout = default_timeout);
  // Sends `request` (which must carry "ref") and returns its reply.
  boost::json::object request(const boost::json::object& request,
                              std::chrono::milliseconds timeout = default_timeout);

  // Sends a protocol ping and waits for its pong, so every frame the server sent before handling
  // the ping is in the inbox. Returns the unreceived frames (they stay unreceived); the pong
  // itself is consumed.
  std::vector<boost::json::object> sync(std::chrono::milliseconds timeout = default_timeout);

  // Frames received from the server and not yet taken by recv*; optionally only one type.
  std::vector<boost::json::object> pending(std::string_view type = {}) const;
  // Forgets the unreceived frames (they stay in the transcript).
  void discard_pending();
  // Every frame received since connect() (and before, across reconnects), oldest first, bounded.
  std::vector<boost::json::object> received(std::string_view type = {}) const;

  // Normal close (1000) with the closing handshake.
  void close();
  // Drops the TCP connection without a closing handshake, as a lost phone signal would.
  void drop();
  // Waits until the server closes the connection; returns its close code (1006 when the TCP
  // connection ended without a close frame). Throws on timeout.
  int wait_closed(std::chrono::milliseconds timeout = default_timeout);
  bool is_open() const;
  // The close code the server sent, once the connection is closed by the server.
  std::optional<int> last_close_code() const;

  // The last frames sent (->) and received (<-), one per line, for failure messages.
  std::string transcript(std::size_t last_lines = 40) const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace test_support
