// The HTTP side over real loopback connections: probes, metrics, static files, API routing,
// security headers and refusals.
#include "net_test_support.hpp"

#include <gtest/gtest.h>

using namespace net_test;

namespace {

std::string header(const response& res, const std::string& name) { return std::string(res[name]); }

void expect_security_headers(const response& res) {
  EXPECT_EQ(header(res, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(header(res, "Referrer-Policy"), "no-referrer");
  const auto csp = header(res, "Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("connect-src 'self'"), std::string::npos) << csp;
}

}  // namespace

TEST(http_routes, healthz_answers_ok_with_security_headers) {
  test_server server;
  auto res = http_get(server.port(), "/healthz");
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res.body(), "ok");
  expect_security_headers(res);
  EXPECT_EQ(header(res, "X-Frame-Options"), "DENY");
}

TEST(http_routes, readyz_follows_the_application) {
  test_server server;
  auto ready = http_get(server.port(), "/readyz");
  EXPECT_EQ(ready.result_int(), 200u);
  EXPECT_EQ(ready.body(), "ready");
  server.app().is_ready = false;
  auto not_ready = http_get(server.port(), "/readyz");
  EXPECT_EQ(not_ready.result_int(), 503u);
}

TEST(http_routes, metrics_has_transport_families_then_app_metrics) {
  test_server server;
  {
    ws_client ws(server.port(), "/ws/visitor");
    ws.send("hello");
    EXPECT_EQ(ws.read(), "hello");
    ws.close();
  }
  ASSERT_TRUE(eventually([&] { return server.app().total_closes() == 1; }));
  auto res = http_get(server.port(), "/metrics");
  ASSERT_EQ(res.result_int(), 200u);
  EXPECT_NE(header(res, "Content-Type").find("version=0.0.4"), std::string::npos);
  const auto& body = res.body();
  EXPECT_EQ(metric_value(body, "helpline_ws_messages_received_total{kind=\"visitor\"}"), 1.0);
  EXPECT_EQ(metric_value(body, "helpline_ws_messages_sent_total{kind=\"visitor\"}"), 1.0);
  EXPECT_EQ(metric_value(body, "helpline_ws_received_bytes_total{kind=\"visitor\"}"), 5.0);
  EXPECT_EQ(metric_value(body, "helpline_ws_connections_open{kind=\"visitor\"}"), 0.0);
  EXPECT_EQ(metric_value(body, "helpline_ws_closes_total{code=\"1000\"}"), 1.0);
  EXPECT_GE(metric_value(body, "helpline_transport_errors_total{reason=\"flood\"}"), 0.0);
  EXPECT_GE(metric_value(body, "helpline_ws_flood_drops_total{kind=\"advisor\"}"), 0.0);
  EXPECT_GE(metric_value(body, "helpline_ws_write_queue_drops_total{kind=\"advisor\"}"), 0.0);
  EXPECT_EQ(metric_value(body, "test_app_gauge"), 42.0);
  EXPECT_LT(body.find("helpline_ws_connections_open"), body.find("test_app_gauge"));
}

TEST(http_routes, root_redirects_to_the_index) {
  auto options = test_options();
  options.index_redirect = "/widget/demo/";
  test_server server(options);
  auto res = http_get(server.port(), "/");
  EXPECT_EQ(res.result_int(), 302u);
  EXPECT_EQ(header(res, "Location"), "/widget/demo/");
}

TEST(http_routes, api_requests_go_to_the_application) {
  test_server server;
  auto res = http_call(server.port(), http::verb::post, "/api/echo", {{"X-Test", "t1"}}, "payload");
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res.body(), "POST payload t1");
  EXPECT_EQ(header(res, "X-Echo"), "yes");
  EXPECT_EQ(header(res, "Cache-Control"), "no-store");
  expect_security_headers(res);
  EXPECT_EQ(http_get(server.port(), "/api/unknown").result_int(), 404u);
  EXPECT_EQ(http_get(server.port(), "/api/throw").result_int(), 500u);
  EXPECT_EQ(http_get(server.port(), "/nothing-here").result_int(), 404u);
}

TEST(http_routes, oversized_body_is_413) {
  auto options = test_options();
  options.max_request_body_bytes = 1024;
  test_server server(options);
  auto res = http_call(server.port(), http::verb::post, "/api/echo", {}, std::string(4096, 'a'));
  EXPECT_EQ(res.result_int(), 413u);
  EXPECT_EQ(server.app().total_messages(), 0);
}

TEST(http_routes, malformed_http_is_400) {
  test_server server;
  const auto answer = raw_exchange(server.port(), "GARBAGE REQUEST\r\n\r\n");
  EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << answer;
  const auto bad_header = raw_exchange(server.port(), "GET / HTTP/1.1\r\nHo st: x\r\n\r\n");
  EXPECT_EQ(bad_header.rfind("HTTP/1.1 400", 0), 0u) << bad_header;
  // And the server is still serving.
  EXPECT_EQ(http_get(server.port(), "/healthz").result_int(), 200u);
}

TEST(http_routes, incomplete_request_is_dropped_after_the_handshake_timeout) {
  auto options = test_options();
  options.handshake_timeout = std::chrono::seconds(1);
  test_server server(options);
  // Headers never finished (slowloris): the server closes the connection without answering.
  const auto answer = raw_exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n");
  EXPECT_EQ(answer, "");
  EXPECT_TRUE(eventually([&] {
    return metric_value(server.registry().render(), "helpline_transport_errors_total{reason=\"request_timeout\"}") == 1.0;
  }));
}

TEST(http_routes, start_fails_clearly_when_the_port_is_taken) {
  test_server first;
  asio::io_context ioc;
  echo_app app;
  metrics_registry registry;
  auto options = test_options();
  options.port = first.port();
  http_server second(ioc, options, app, registry);
  try {
    second.start();
    FAIL() << "start() must throw when the port is taken";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(std::to_string(first.port())), std::string::npos) << e.what();
  }
}

TEST(http_routes, max_connections_refuses_http_and_websocket_with_503) {
  auto options = test_options();
  options.max_connections = 2;
  test_server server(options);
  auto a = std::make_unique<ws_client>(server.port(), "/ws/visitor");
  ws_client b(server.port(), "/ws/advisor");
  ASSERT_TRUE(eventually([&] { return server.server().open_connections() == 2; }));
  EXPECT_EQ(http_get(server.port(), "/healthz").result_int(), 503u);
  EXPECT_EQ(ws_client::refused_status(server.port(), "/ws/visitor"), 503u);
  a->close();
  a.reset();
  ASSERT_TRUE(eventually([&] { return server.server().open_connections() == 1; }));
  EXPECT_EQ(http_get(server.port(), "/healthz").result_int(), 200u);
  EXPECT_GE(metric_value(server.registry().render(), "helpline_transport_errors_total{reason=\"connection_limit\"}"), 2.0);
}

// Static files.

class static_files_test : public ::testing::Test {
 protected:
  static_files_test() : server_(options()) {}
  server_options options() {
    auto o = test_options();
    o.static_root = tree_.root();
    return o;
  }
  static_tree tree_;
  test_server server_;
};

TEST_F(static_files_test, serves_files_with_mime_types_and_cache_headers) {
  const std::pair<const char*, const char*> cases[] = {
      {"/widget/widget.mjs", "text/javascript; charset=utf-8"}, {"/widget/legacy.js", "text/javascript; charset=utf-8"},
      {"/widget/widget.css", "text/css; charset=utf-8"},        {"/widget/demo/index.html", "text/html; charset=utf-8"},
      {"/widget/icon.svg", "image/svg+xml"},                    {"/widget/strings.json", "application/json"},
      {"/widget/font.woff2", "font/woff2"},                     {"/console/index.html", "text/html; charset=utf-8"},
  };
  for (const auto& [path, type] : cases) {
    auto res = http_get(server_.port(), path);
    EXPECT_EQ(res.result_int(), 200u) << path;
    EXPECT_EQ(header(res, "Content-Type"), type) << path;
    EXPECT_FALSE(header(res, "ETag").empty()) << path;
    EXPECT_FALSE(header(res, "Last-Modified").empty()) << path;
    EXPECT_EQ(header(res, "Cache-Control"), "no-cache") << path;
  }
  EXPECT_EQ(http_get(server_.port(), "/widget/widget.mjs").body(), "export const widget = 1;\n");
  // The loader on a helpline's own site reads the widget's strings cross-origin; the console's
  // files are not shared with other sites.
  EXPECT_EQ(header(http_get(server_.port(), "/widget/strings.json"), "Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(header(http_get(server_.port(), "/console/index.html"), "Access-Control-Allow-Origin"), "");
}

TEST_F(static_files_test, directory_serves_index_and_redirects_without_slash) {
  auto res = http_get(server_.port(), "/widget/demo/");
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res.body(), "<!doctype html><title>demo</title>");
  auto redirect = http_get(server_.port(), "/widget/demo");
  EXPECT_EQ(redirect.result_int(), 301u);
  EXPECT_EQ(header(redirect, "Location"), "/widget/demo/");
}

TEST_F(static_files_test, etag_revalidation_gives_304) {
  auto first = http_get(server_.port(), "/widget/widget.css");
  const auto etag = header(first, "ETag");
  ASSERT_FALSE(etag.empty());
  auto second = http_get(server_.port(), "/widget/widget.css", {{"If-None-Match", etag}});
  EXPECT_EQ(second.result_int(), 304u);
  EXPECT_EQ(second.body(), "");
}

TEST_F(static_files_test, head_has_length_and_no_body) {
  auto res = http_call(server_.port(), http::verb::head, "/widget/widget.mjs");
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(header(res, "Content-Length"), "25");
  EXPECT_EQ(header(res, "Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(res.body(), "");
  // The connection stays usable after HEAD (no stray body bytes): a raw check.
  const auto raw = raw_exchange(server_.port(),
                                "HEAD /widget/widget.mjs HTTP/1.1\r\nHost: x\r\n\r\n"
                                "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(raw.find("export const"), std::string::npos) << raw;
  EXPECT_NE(raw.find("\r\n\r\nok"), std::string::npos) << raw;
}

TEST_F(static_files_test, traversal_is_blocked) {
  const char* attacks[] = {
      "/widget/../secret.txt",          "/widget/%2e%2e/secret.txt",       "/widget/%2E%2E/secret.txt",
      "/widget/%2e%2e%2fsecret.txt",    "/widget/..%2fsecret.txt",         "/widget/demo/../../secret.txt",
      "/widget/demo/%2e%2e/%2e%2e/secret.txt", "/console/%2e%2e/secret.txt", "/widget/..%5csecret.txt",
      "/widget/.env",                   "/widget/%2eenv",                  "/widget/%00secret.txt",
      "/widget/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/widget/%252e%252e/secret.txt",
  };
  for (const char* attack : attacks) {
    auto res = http_get(server_.port(), attack);
    EXPECT_TRUE(res.result_int() == 404u || res.result_int() == 400u) << attack << " -> " << res.result_int();
    EXPECT_EQ(res.body().find("TOP-SECRET"), std::string::npos) << attack;
    EXPECT_EQ(res.body().find("HIDDEN"), std::string::npos) << attack;
    EXPECT_EQ(res.body().find("root:"), std::string::npos) << attack;
  }
  // Raw bytes too, in case a client library normalised the target.
  const auto raw = raw_exchange(server_.port(), "GET /widget/../secret.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(raw.find("TOP-SECRET"), std::string::npos) << raw;
}

TEST_F(static_files_test, missing_file_gets_a_404_page) {
  auto res = http_get(server_.port(), "/widget/nope.js");
  EXPECT_EQ(res.result_int(), 404u);
  EXPECT_EQ(header(res, "Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(res.body().find("Not found"), std::string::npos);
}

TEST_F(static_files_test, widget_is_embeddable_console_is_not) {
  auto widget = http_get(server_.port(), "/widget/demo/index.html");
  expect_security_headers(widget);
  const auto widget_csp = header(widget, "Content-Security-Policy");
  EXPECT_NE(widget_csp.find("frame-ancestors 'self'"), std::string::npos) << widget_csp;
  EXPECT_EQ(widget_csp.find("frame-ancestors 'none'"), std::string::npos) << widget_csp;
  EXPECT_EQ(header(widget, "X-Frame-Options"), "");
  const auto host = "127.0.0.1:" + std::to_string(server_.port());
  EXPECT_NE(widget_csp.find("ws://" + host), std::string::npos) << widget_csp;
  EXPECT_NE(widget_csp.find("wss://" + host), std::string::npos) << widget_csp;

  auto console = http_get(server_.port(), "/console/index.html");
  expect_security_headers(console);
  EXPECT_NE(header(console, "Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(header(console, "X-Frame-Options"), "DENY");
}

TEST(http_routes, widget_frame_ancestors_follow_allowed_origins) {
  auto options = test_options();
  options.allowed_origins = {"https://helpline.example"};
  test_server server(options);
  auto res = http_get(server.port(), "/widget/anything");  // 404 pages get the policy too
  EXPECT_NE(header(res, "Content-Security-Policy").find("frame-ancestors 'self' https://helpline.example"),
            std::string::npos)
      << header(res, "Content-Security-Policy");
}
