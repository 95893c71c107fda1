
#include "net_test_support.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

namespace net_test {

namespace {

class echo_handler final : public connection_handler {
 public:
  echo_handler(std::shared_ptr<websocket_session> session, std::shared_ptr<echo_app::session_record> record)
      : session_(std::move(session)), record_(std::move(record)) {}

  asio::awaitable<void> on_text(std::string text) override {
    record_->messages.fetch_add(1);
    if (text.starts_with("burst:")) {
      const auto colon = text.find(':', 6);
      const int count = std::stoi(text.substr(6, colon - 6));
      const auto size = static_cast<std::size_t>(std::stoul(text.substr(colon + 1)));
      const auto payload = std::make_shared<const std::string>(size, 'x');
      for (int i = 0; i < count; ++i) session_->send(payload);
    } else if (text.starts_with("trickle:")) {
      // Like burst, but yields to the strand between sends so writes start as it goes.
      const auto colon = text.find(':', 8);
      const int count = std::stoi(text.substr(8, colon - 8));
      const auto size = static_cast<std::size_t>(std::stoul(text.substr(colon + 1)));
      const auto payload = std::make_shared<const std::string>(size, 'x');
      for (int i = 0; i < count; ++i) {
        session_->send(payload);
        co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
      }
    } else if (text == "close") {
      session_->close(1000, "bye");
    } else {
      session_->send(std::make_shared<const std::string>(std::move(text)));
    }
    co_return;
  }

  void on_close() override {
    record_->closes.fetch_add(1);
    session_.reset();
  }

 private:
  std::shared_ptr<websocket_session> session_;  // the cycle is broken by on_close
  std::shared_ptr<echo_app::session_record> record_;
};

}  // namespace

std::shared_ptr<connection_handler> echo_app::on_open(std::shared_ptr<websocket_session> session) {
  auto record = std::make_shared<session_record>();
  record->kind = session->kind();
  {
    std::lock_guard lock(mutex_);
    sessions_[session->id()] = record;
  }
  return std::make_shared<echo_handler>(std::move(session), record);
}

asio::awaitable<bool> echo_app::ready() { co_return is_ready.load(); }

void echo_app::append_metrics(std::string& out) { out += "# TYPE test_app_gauge gauge\ntest_app_gauge 42\n"; }

asio::awaitable<std::optional<http_response>> echo_app::handle_api(http_request_view request) {
  if (request.target == "/api/echo") {
    http_response res;
    res.content_type = "text/plain";
    res.body = std::string(request.method) + " " + std::string(request.body) + " " +
               std::string(request.header("X-Test"));
    res.headers.emplace_back("X-Echo", "yes");
    co_return res;
  }
  if (request.target == "/api/throw") throw std::runtime_error("api failure for the test");
  co_return std::nullopt;
}

std::vector<std::shared_ptr<echo_app::session_record>> echo_app::records() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<session_record>> out;
  for (const auto& [id, r] : sessions_) out.push_back(r);
  return out;
}

int echo_app::total_messages() const {
  int total = 0;
  for (const auto& r : records()) total += r->messages.load();
  return total;
}

int echo_app::total_closes() const {
  int total = 0;
  for (const auto& r : records()) total += r->closes.load();
  return total;
}

server_options test_options() {
  server_options o;
  o.address = "127.0.0.1";
  o.port = 0;
  o.handshake_timeout = std::chrono::seconds(3);
  o.idle_timeout = std::chrono::seconds(10);
  return o;
}

test_server::test_server(server_options options) {
  server_ = std::make_unique<http_server>(ioc_, std::move(options), app_, registry_);
  server_->start();
  for (int i = 0; i < 2; ++i) threads_.emplace_back([this] { ioc_.run(); });
}

void test_server::stop_and_join() {
  if (threads_.empty()) return;
  server_->stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
  for (const auto& r : app_.records()) EXPECT_EQ(r->closes.load(), 1) << "on_close must run exactly once";
}

test_server::~test_server() { stop_and_join(); }

bool eventually(const std::function<bool()>& pred) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return pred();
}

response http_call(std::uint16_t port, http::verb method, const std::string& target,
                   const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body) {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
  if (auto ec = run_op(ioc, [&](auto h) { stream.async_connect(ep, std::move(h)); })) throw beast::system_error(ec);
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  for (const auto& [n, v] : headers) req.set(n, v);
  req.body() = body;
  req.prepare_payload();
  if (auto ec = run_op(ioc, [&](auto h) { http::async_write(stream, req, std::move(h)); })) throw beast::system_error(ec);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  if (method == http::verb::head) parser.skip(true);
  if (auto ec = run_op(ioc, [&](auto h) { http::async_read(stream, buffer, parser, std::move(h)); })) {
    throw beast::system_error(ec);
  }
  return parser.release();
}

std::string raw_exchange(std::uint16_t port, const std::string& bytes) {
  asio::io_context ioc;
  asio::ip::tcp::socket socket(ioc);
  const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
  if (auto ec = run_op(ioc, [&](auto h) { socket.async_connect(ep, std::move(h)); })) throw beast::system_error(ec);
  if (auto ec = run_op(ioc, [&](auto h) { asio::async_write(socket, asio::buffer(bytes), std::move(h)); })) {
    throw beast::system_error(ec);
  }
  std::string received;
  received.resize(64 * 1024);
  std::size_t total = 0;
  for (;;) {
    std::size_t n = 0;
    auto ec = run_op(ioc, [&](auto h) {
      socket.async_read_some(asio::buffer(received.data() + total, received.size() - total),
                             [&n, h = std::move(h)](beast::error_code e, std::size_t got) mutable {
                               n = got;
                               h(e, got);
                             });
    });
    total += n;
    if (ec || total == received.size()) break;
  }
  received.resize(total);
  return received;
}

ws_client::ws_client(std::uint16_t port, const std::string& path, const std::string& origin) : ws_(ioc_) {
  const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
  if (auto ec = run_op(ioc_, [&](auto h) { beast::get_lowest_layer(ws_).async_connect(ep, std::move(h)); })) {
    throw beast::system_error(ec);
  }
  ws_.set_option(websocket::stream_base::decorator([origin](websocket::request_type& req) {
    if (!origin.empty()) req.set(http::field::origin, origin);
  }));
  ws_.read_message_max(64 * 1024 * 1024);
  const std::string host = "127.0.0.1:" + std::to_string(port);
  if (auto ec = run_op(ioc_, [&](auto h) { ws_.async_handshake(host, path, std::move(h)); })) {
    throw beast::system_error(ec);
  }
}

ws_client::~ws_client() {
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
}

unsigned ws_client::refused_status(std::uint16_t port, const std::string& path, const std::string& origin) {
  asio::io_context ioc;
  websocket::stream<beast::tcp_stream> ws(ioc);
  const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
  if (auto ec = run_op(ioc, [&](auto h) { beast::get_lowest_layer(ws).async_connect(ep, std::move(h)); })) {
    throw beast::system_error(ec);
  }
  ws.set_option(websocket::stream_base::decorator([origin](websocket::request_type& req) {
    if (!origin.empty()) req.set(http::field::origin, origin);
  }));
  websocket::response_type res;
  const std::string host = "127.0.0.1:" + std::to_string(port);
  auto ec = run_op(ioc, [&](auto h) { ws.async_handshake(res, host, path, std::move(h)); });
  if (!ec) return 0;
  return res.result_int();
}

void ws_client::send(const std::string& text) {
  ws_.text(true);
  if (auto ec = run_op(ioc_, [&](auto h) { ws_.async_write(asio::buffer(text), std::move(h)); })) {
    throw beast::system_error(ec);
  }
}

void ws_client::send_binary(const std::string& data) {
  ws_.binary(true);
  auto ec = run_op(ioc_, [&](auto h) { ws_.async_write(asio::buffer(data), std::move(h)); });
  ws_.text(true);
  if (ec) throw beast::system_error(ec);
}

std::string ws_client::read() {
  beast::flat_buffer buffer;
  if (auto ec = run_op(ioc_, [&](auto h) { ws_.async_read(buffer, std::move(h)); })) throw beast::system_error(ec);
  return beast::buffers_to_string(buffer.data());
}

std::uint16_t ws_client::read_until_close(std::vector<std::string>* messages) {
  for (;;) {
    beast::flat_buffer buffer;
    auto ec = run_op(ioc_, [&](auto h) { ws_.async_read(buffer, std::move(h)); });
    if (ec) return ws_.reason().code;
    if (messages) messages->push_back(beast::buffers_to_string(buffer.data()));
  }
}

void ws_client::close() {
  run_op(ioc_, [&](auto h) { ws_.async_close(websocket::close_code::normal, std::move(h)); });
}

static_tree::static_tree() {
  std::random_device rd;
  root_ = std::filesystem::temp_directory_path() / ("helpline-net-test-" + std::to_string(rd()));
  std::filesystem::create_directories(root_ / "web-widget" / "demo");
  std::filesystem::create_directories(root_ / "web-console");
  auto write = [&](const std::filesystem::path& p, const std::string& content) {
    std::ofstream(root_ / p, std::ios::binary) << content;
  };
  write("web-widget/demo/index.html", "<!doctype html><title>demo</title>");
  write("web-widget/widget.mjs", "export const widget = 1;\n");
  write("web-widget/legacy.js", "var legacy = 1;\n");
  write("web-widget/widget.css", "body{margin:0}\n");
  write("web-widget/icon.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
  write("web-widget/strings.json", "{\"hello\":\"Hello\"}");
  write("web-widget/font.woff2", std::string("wOF2\0\0\0\0", 8));
  write("web-widget/.env", "HIDDEN=1");
  write("web-console/index.html", "<!doctype html><title>console</title>");
  write("secret.txt", "TOP-SECRET");
}

static_tree::~static_tree() {
  std::error_code ignored;
  std::filesystem::remove_all(root_, ignored);
}

double metric_value(const std::string& rendered, const std::string& sample) {
  std::istringstream in(rendered);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > sample.size() && line.compare(0, sample.size(), sample) == 0 && line[sample.size()] == ' ') {
      return std::stod(line.substr(sample.size() + 1));
    }
  }
  return -1;
}

}  // namespace net_test
