#include "ws_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <cstdlib>
#include <deque>
#include <iostream>
#include <sstream>

#include "json_frames.hpp"

namespace test_support {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using steady = std::chrono::steady_clock;

namespace {

// Bounds: a test that receives more than this is broken; the oldest entries are dropped from the
// transcript and history (diagnostics only), while an inbox overflow fails the test.
constexpr std::size_t max_inbox = 20000;
constexpr std::size_t max_history = 20000;
constexpr std::size_t max_transcript_lines = 2000;
constexpr std::size_t max_line_chars = 700;
constexpr int abnormal_closure = 1006;

bool trace_enabled() {
  static const bool on = std::getenv("HELPLINE_TEST_TRACE") != nullptr;
  return on;
}

// Completion state shared with a handler, so a handler that runs after its caller gave up (on a
// timeout) never touches a dead stack frame.
struct op_state {
  bool done = false;
  boost::system::error_code ec;
};

}  // namespace

struct ws_client::impl {
  std::string name;
  asio::io_context ioc;  // declared before the stream: destroyed after it
  std::unique_ptr<websocket::stream<beast::tcp_stream>> ws;
  beast::flat_buffer buffer;
  bool open = false;     // handshake done, no close seen yet
  bool reading = false;  // an async_read is outstanding
  std::optional<int> close_code;
  std::string end_reason;  // why the connection ended, for diagnostics
  std::deque<json::object> inbox;
  std::deque<json::object> history;
  std::deque<std::string> lines;
  std::vector<std::string> bad_frames;  // server frames that were not JSON objects
  int ping_counter = 0;

  explicit impl(std::string n) : name(std::move(n)) {}

  void note(std::string_view arrow, std::string_view text) {
    std::string line(arrow);
    line += text.substr(0, max_line_chars);
    if (text.size() > max_line_chars) line += "...";
    if (trace_enabled()) std::cerr << "[" << name << "] " << line << "\n";
    lines.push_back(std::move(line));
    if (lines.size() > max_transcript_lines) lines.pop_front();
  }

  std::string transcript(std::size_t last) const {
    std::ostringstream out;
    out << "--- frames of " << name << " (last " << std::min(last, lines.size()) << " of "
        << lines.size() << " kept) ---\n";
    std::size_t start = lines.size() > last ? lines.size() - last : 0;
    for (std::size_t i = start; i < lines.size(); ++i) out << "  " << lines[i] << "\n";
    if (!open) out << "  (connection " << (end_reason.empty() ? "not open" : end_reason) << ")\n";
    return out.str();
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw protocol_failure(name + ": " + what + "\n" + transcript(40));
  }

  void start_read() {
    reading = true;
    ws->async_read(buffer, [this](boost::system::error_code ec, std::size_t) {
      reading = false;
      if (ec) {
        open = false;
        if (ec == websocket::error::closed) {
          close_code = static_cast<int>(ws->reason().code);
          end_reason = "closed by the server with code " + std::to_string(*close_code);
          if (!ws->reason().reason.empty()) end_reason += " (" + std::string(ws->reason().reason.data(), ws->reason().reason.size()) + ")";
        } else if (ec != asio::error::operation_aborted) {
          close_code = abnormal_closure;
          end_reason = "ended without a close frame: " + ec.message();
        } else if (end_reason.empty()) {
          end_reason = "dropped by the test";
        }
        note("<- ", "[" + end_reason + "]");
        return;
      }
      std::string text = beast::buffers_to_string(buffer.data());
      buffer.consume(buffer.size());
      bool binary = !ws->got_text();
      note("<- ", binary ? "[binary] " + text : text);
      if (binary) {
        bad_frames.push_back("binary frame: " + text.substr(0, 200));
      } else {
        try {
          json::object frame = parse_frame(text);
          history.push_back(frame);
          if (history.size() > max_history) history.pop_front();
          if (inbox.size() >= max_inbox) {
            bad_frames.push_back("inbox full: the test left more than " + std::to_string(max_inbox) +
                                 " frames unreceived");
          } else {
            inbox.push_back(std::move(frame));
          }
        } catch (const frame_error& e) {
          bad_frames.push_back(e.what());
        }
      }
      start_read();
    });
  }

  // Runs handlers until `done()` or the deadline; returns done().
  template <class Done>
  bool run_until(Done done, steady::time_point deadline) {
    while (!done()) {
      if (steady::now() >= deadline) return false;
      if (ioc.stopped()) ioc.restart();
      if (ioc.run_one_until(deadline) == 0 && !done()) {
        // Nothing left to run (no outstanding operation) and still not done.
        if (ioc.stopped() && !reading) return done();
      }
    }
    return true;
  }

  void await(const std::shared_ptr<op_state>& op, steady::time_point deadline, const std::string& what) {
    if (!run_until([&] { return op->done; }, deadline)) {
      // Abandon the operation: closing the socket makes its handler run (with an error) soon,
      // touching only `op`.
      boost::system::error_code ignored;
      if (ws) beast::get_lowest_layer(*ws).socket().close(ignored);
      open = false;
      end_reason = "abandoned after a timeout in " + what;
      fail("timed out: " + what);
    }
    if (op->ec) fail(what + " failed: " + op->ec.message());
  }

  void check_bad_frames() const {
    if (!bad_frames.empty()) fail("the server sent a frame that is not a JSON object: " + bad_frames.front());
  }

  void write(std::string_view data, bool text) {
    if (!open) fail("cannot send: the connection is not open");
    ws->text(text);
    auto op = std::make_shared<op_state>();
    // The caller keeps `data` alive: await() returns only after the handler ran or the socket
    // was closed (and then the stream never touches the buffer again).
    ws->async_write(asio::buffer(data.data(), data.size()), [op](boost::system::error_code ec, std::size_t) {
      op->done = true;
      op->ec = ec;
    });
    await(op, steady::now() + ws_client::default_timeout, "sending a frame");
  }

  std::optional<json::object> take(const frame_predicate& match) {
    for (auto it = inbox.begin(); it != inbox.end(); ++it) {
      if (match(*it)) {
        json::object f = std::move(*it);
        inbox.erase(it);
        return f;
      }
    }
    return std::nullopt;
  }

  json::object wait_frame(const frame_predicate& match, std::string_view what, std::chrono::milliseconds timeout) {
    auto deadline = steady::now() + timeout;
    std::optional<json::object> found;
    run_until(
        [&] {
          check_bad_frames();
          found = take(match);
          return found.has_value() || !reading;
        },
        deadline);
    if (found) return std::move(*found);
    if (!reading) fail("connection closed while waiting for " + std::string(what));
    fail("no " + std::string(what) + " within " + std::to_string(timeout.count()) + " ms");
  }
};

ws_client::ws_client(std::string name) : impl_(std::make_unique<impl>(std::move(name))) {}

ws_client::~ws_client() {
  try {
    if (impl_->ws && (impl_->open || impl_->reading)) drop();
  } catch (...) {
    // A destructor cannot report; the test has already passed or failed by now.
  }
}

const std::string& ws_client::name() const { return impl_->name; }

void ws_client::connect(std::uint16_t port, std::string_view target) {
  impl& d = *impl_;
  if (d.ws && (d.open || d.reading)) drop();
  // A Beast stream is not reusable after a close: every connection gets a new one.
  d.ws.reset();
  d.ioc.restart();
  d.ws = std::make_unique<websocket::stream<beast::tcp_stream>>(d.ioc);
  d.buffer.clear();
  d.close_code.reset();
  d.end_reason.clear();
  d.note("== ", "connect 127.0.0.1:" + std::to_string(port) + std::string(target));
  auto deadline = steady::now() + default_timeout;

  auto connected = std::make_shared<op_state>();
  beast::get_lowest_layer(*d.ws).async_connect(
      tcp::endpoint(asio::ip::address_v4::loopback(), port), [connected](boost::system::error_code ec) {
        connected->done = true;
        connected->ec = ec;
      });
  d.await(connected, deadline, "connecting to port " + std::to_string(port));

  d.ws->set_option(websocket::stream_base::timeout::suggested(beast::role_type::client));
  d.ws->read_message_max(64u << 20);
  d.ws->auto_fragment(false);  // one frame per message, so "oversized frame" means one frame
  auto handshaken = std::make_shared<op_state>();
  d.ws->async_handshake("127.0.0.1:" + std::to_string(port), std::string(target),
                        [handshaken](boost::system::error_code ec) {
                          handshaken->done = true;
                          handshaken->ec = ec;
                        });
  d.await(handshaken, deadline, "WebSocket handshake for " + std::string(target));
  d.open = true;
  d.start_read();
}

bool ws_client::try_connect(std::uint16_t port, std::string_view target) {
  try {
    connect(port, target);
    return true;
  } catch (const protocol_failure&) {
    return false;
  }
}

void ws_client::send(const boost::json::object& frame) {
  std::string text = json::serialize(frame);
  impl_->note("-> ", text);
  impl_->write(text, true);
}

void ws_client::send_text(std::string_view text) {
  impl_->note("-> ", "[raw text, " + std::to_string(text.size()) + " bytes] " + std::string(text.substr(0, 200)));
  impl_->write(text, true);
}

void ws_client::send_binary(std::string_view bytes) {
  impl_->note("-> ", "[binary, " + std::to_string(bytes.size()) + " bytes]");
  impl_->write(bytes, false);
}

boost::json::object ws_client::recv(std::chrono::milliseconds timeout) {
  return impl_->wait_frame([](const json::object&) { return true; }, "frame", timeout);
}

boost::json::object ws_client::recv_type(std::string_view type, std::chrono::milliseconds timeout) {
  std::string t(type);
  return impl_->wait_frame([&t](const json::object& f) { return is_type(f, t); }, "\"" + t + "\" frame",
                           timeout);
}

boost::json::object ws_client::recv_match(const frame_predicate& match, std::string_view what,
                                          std::chrono::milliseconds timeout) {
  return impl_->wait_frame(match, what, timeout);
}

boost::json::object ws_client::recv_reply(const boost::json::value& ref, std::chrono::milliseconds timeout) {
  return impl_->wait_frame(
      [&ref](const json::object& f) {
        const json::value* r = f.if_contains("ref");
        return r != nullptr && *r == ref;
      },
      "reply with ref " + json::serialize(ref), timeout);
}

boost::json::object ws_client::request(const boost::json::object& req, std::chrono::milliseconds timeout) {
  const json::value* ref = req.if_contains("ref");
  if (ref == nullptr) impl_->fail("test bug: request() needs a \"ref\" in " + describe(req));
  json::value r = *ref;
  send(req);
  return recv_reply(r, timeout);
}

std::vector<boost::json::object> ws_client::sync(std::chrono::milliseconds timeout) {
  impl& d = *impl_;
  std::string ref = "sync-" + std::to_string(++d.ping_counter);
  send(json::object{{"type", "ping"}, {"ref", ref}});
  d.wait_frame(
      [&ref](const json::object& f) {
        if (!is_type(f, "pong")) return false;
        const json::value* r = f.if_contains("ref");
        return r == nullptr || (r->is_string() && r->as_string() == ref);
      },
      "pong", timeout);
  return pending();
}

std::vector<boost::json::object> ws_client::pending(std::string_view type) const {
  std::vector<json::object> out;
  for (const json::object& f : impl_->inbox) {
    if (type.empty() || is_type(f, type)) out.push_back(f);
  }
  return out;
}

void ws_client::discard_pending() { impl_->inbox.clear(); }

std::vector<boost::json::object> ws_client::received(std::string_view type) const {
  std::vector<json::object> out;
  for (const json::object& f : impl_->history) {
    if (type.empty() || is_type(f, type)) out.push_back(f);
  }
  return out;
}

void ws_client::close() {
  impl& d = *impl_;
  if (!d.ws || !d.open) return;
  d.note("== ", "close 1000");
  d.end_reason = "closed by the test";
  auto closed = std::make_shared<op_state>();
  d.ws->async_close(websocket::close_code::normal, [closed](boost::system::error_code ec) {
    closed->done = true;
    closed->ec = ec;
  });
  auto deadline = steady::now() + std::chrono::seconds(5);
  if (!d.run_until([&] { return closed->done && !d.reading; }, deadline)) drop();
  d.open = false;
}

void ws_client::drop() {
  impl& d = *impl_;
  if (!d.ws) return;
  d.note("== ", "drop (TCP close without a close frame)");
  d.end_reason = "dropped by the test";
  boost::system::error_code ignored;
  beast::get_lowest_layer(*d.ws).socket().shutdown(tcp::socket::shutdown_both, ignored);
  beast::get_lowest_layer(*d.ws).socket().close(ignored);
  d.open = false;
  // Let the outstanding read finish (with operation_aborted) so no handler outlives the stream.
  d.run_until([&] { return !d.reading; }, steady::now() + std::chrono::seconds(5));
}

int ws_client::wait_closed(std::chrono::milliseconds timeout) {
  impl& d = *impl_;
  if (!d.run_until([&] { return !d.reading; }, steady::now() + timeout)) {
    d.fail("the server did not close the connection within " + std::to_string(timeout.count()) + " ms");
  }
  return d.close_code.value_or(abnormal_closure);
}

bool ws_client::is_open() const { return impl_->open; }

std::optional<int> ws_client::last_close_code() const { return impl_->close_code; }

std::string ws_client::transcript(std::size_t last_lines) const { return impl_->transcript(last_lines); }

}  // namespace test_support
