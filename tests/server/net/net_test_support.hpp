// Test doubles and real clients for net_tests: an echo application, a server running on
// port 0 with its own threads, and Beast HTTP/WebSocket clients with a hang guard.
#pragma once

#include "net/net.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace net_test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using namespace helpline::net;

// Echoes text. Commands: "burst:N:SIZE" sends N messages of SIZE bytes at once; "close" closes
// with 1000. /api/echo echoes the body; /api/throw throws; other /api/ paths are unknown.
class echo_app final : public application {
 public:
  struct session_record {
    std::atomic<int> closes{0};
    std::atomic<int> messages{0};
    socket_kind kind = socket_kind::visitor;
  };

  std::shared_ptr<connection_handler> on_open(std::shared_ptr<websocket_session> session) override;
  asio::awaitable<bool> ready() override;
  void append_metrics(std::string& out) override;
  asio::awaitable<std::optional<http_response>> handle_api(http_request_view request) override;

  std::atomic<bool> is_ready{true};
  std::vector<std::shared_ptr<session_record>> records() const;
  // Total messages handed to handlers, over all sessions.
  int total_messages() const;
  int total_closes() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::uint64_t, std::shared_ptr<session_record>> sessions_;  // bounded by the test's connections
};

server_options test_options();

// A server on 127.0.0.1 port 0 with 2 threads; stops and joins on destruction, then checks
// that every opened WebSocket saw on_close exactly once.
class test_server {
 public:
  explicit test_server(server_options options = test_options());
  ~test_server();
  std::uint16_t port() const { return server_->port(); }
  http_server& server() { return *server_; }
  echo_app& app() { return app_; }
  metrics_registry& registry() { return registry_; }
  void stop_and_join();

 private:
  echo_app app_;
  metrics_registry registry_;
  asio::io_context ioc_;
  std::unique_ptr<http_server> server_;
  std::vector<std::thread> threads_;
};

// Polls until pred() is true or 30 s pass (a hang guard, not a timing assertion).
bool eventually(const std::function<bool()>& pred);

using response = http::response<http::string_body>;

// One request on a fresh connection. Throws std::runtime_error if the server does not answer.
response http_call(std::uint16_t port, http::verb method, const std::string& target,
                   const std::vector<std::pair<std::string, std::string>>& headers = {}, const std::string& body = {});
inline response http_get(std::uint16_t port, const std::string& target,
                         const std::vector<std::pair<std::string, std::string>>& headers = {}) {
  return http_call(port, http::verb::get, target, headers);
}

// Sends raw bytes on a TCP connection and returns everything the server sends until it closes.
std::string raw_exchange(std::uint16_t port, const std::string& bytes);

class ws_client {
 public:
  // Connects and completes the handshake; throws beast::system_error on refusal.
  ws_client(std::uint16_t port, const std::string& path, const std::string& origin = {});
  ~ws_client();
  // The HTTP status of a refused handshake (0 if it succeeded or never got an answer).
  static unsigned refused_status(std::uint16_t port, const std::string& path, const std::string& origin = {});

  void send(const std::string& text);
  void send_binary(const std::string& data);
  std::string read();  // throws beast::system_error (e.g. websocket::error::closed) on failure
  // Reads until the connection ends; returns the close code received (0 if none).
  std::uint16_t read_until_close(std::vector<std::string>* messages = nullptr);
  void close();

 private:
  asio::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
};

// Runs one async operation on ioc with a 30 s hang guard; returns its error code.
template <class Start>
beast::error_code run_op(asio::io_context& ioc, Start&& start) {
  std::optional<beast::error_code> result;
  start([&result](beast::error_code ec, auto&&...) { result = ec; });
  ioc.restart();
  ioc.run_for(std::chrono::seconds(30));
  if (!result) throw std::runtime_error("test client: operation did not complete in 30 s");
  return *result;
}

// A temporary static root with web-widget/ and web-console/ files and a secret beside them.
class static_tree {
 public:
  static_tree();
  ~static_tree();
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

double metric_value(const std::string& rendered, const std::string& sample);  // -1 if absent

}  // namespace net_test
