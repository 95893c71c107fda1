// WebSocket sessions over real loopback connections: ordering, refusals, limits, close codes.

#include "net_test_support.hpp"

#include <gtest/gtest.h>

using namespace net_test;

namespace {
std::string origin_for(std::uint16_t port) { return "http://127.0.0.1:" + std::to_string(port); }
}  // namespace

TEST(websocket_session, echoes_in_order_on_both_paths) {
  test_server server;
  for (const char* path : {"/ws/visitor", "/ws/advisor"}) {
    ws_client ws(server.port(), path, origin_for(server.port()));
    for (int i = 0; i < 15; ++i) ws.send("message " + std::to_string(i));
    for (int i = 0; i < 15; ++i) EXPECT_EQ(ws.read(), "message " + std::to_string(i)) << path;
    ws.close();
  }
  ASSERT_TRUE(eventually([&] { return server.app().total_closes() == 2; }));
  const auto records = server.app().records();
  ASSERT_EQ(records.size(), 2u);
  int visitors = 0;
  for (const auto& r : records) visitors += r->kind == socket_kind::visitor ? 1 : 0;
  EXPECT_EQ(visitors, 1);
}

TEST(websocket_session, unknown_path_is_refused) {
  test_server server;
  EXPECT_EQ(ws_client::refused_status(server.port(), "/ws/other"), 404u);
  EXPECT_EQ(ws_client::refused_status(server.port(), "/widget/"), 404u);
  EXPECT_TRUE(server.app().records().empty());
}

TEST(websocket_session, plain_get_on_a_socket_path_asks_for_an_upgrade) {
  test_server server;
  EXPECT_EQ(http_get(server.port(), "/ws/visitor").result_int(), 426u);
}

TEST(websocket_session, oversized_message_closes_with_1009) {
  auto options = test_options();
  options.max_message_bytes = 1024;
  test_server server(options);
  ws_client ws(server.port(), "/ws/visitor");
  ws.send(std::string(1024, 'a'));  // at the limit: fine
  EXPECT_EQ(ws.read().size(), 1024u);
  ws.send(std::string(2000, 'a'));
  EXPECT_EQ(ws.read_until_close(), 1009);
  EXPECT_EQ(server.app().total_messages(), 1);
}

TEST(websocket_session, invalid_utf8_closes_with_1007) {
  test_server server;
  ws_client ws(server.port(), "/ws/visitor");
  ws.send("caf\xc3\xa9");  // valid UTF-8 passes
  EXPECT_EQ(ws.read(), "caf\xc3\xa9");
  ws.send(std::string("bad \xff\xfe bytes"));  // Beast does not validate what it sends
  EXPECT_EQ(ws.read_until_close(), 1007);
  EXPECT_EQ(server.app().total_messages(), 1);
  EXPECT_TRUE(eventually([&] {
    return metric_value(server.registry().render(), "helpline_ws_closes_total{code=\"1007\"}") == 1.0;
  }));
}

TEST(websocket_session, binary_frame_closes_with_1003) {
  test_server server;
  ws_client ws(server.port(), "/ws/advisor");
  ws.send_binary(std::string("\x01\x02\x03", 3));
  EXPECT_EQ(ws.read_until_close(), 1003);
  EXPECT_EQ(server.app().total_messages(), 0);
}

TEST(websocket_session, flood_gets_rate_limited_then_1008) {
  auto options = test_options();
  options.messages_per_second = 0.001;  // effectively no refill during the test
  options.burst = 3;
  options.flood_strikes_before_close = 4;
  test_server server(options);
  ws_client ws(server.port(), "/ws/visitor");
  for (int i = 0; i < 7; ++i) ws.send("m" + std::to_string(i));
  std::vector<std::string> received;
  EXPECT_EQ(ws.read_until_close(&received), 1008);
  ASSERT_EQ(received.size(), 7u);
  EXPECT_EQ(received[0], "m0");
  EXPECT_EQ(received[1], "m1");
  EXPECT_EQ(received[2], "m2");
  for (std::size_t i = 3; i < 7; ++i) {
    EXPECT_NE(received[i].find(R"("type":"error")"), std::string::npos) << received[i];
    EXPECT_NE(received[i].find(R"("code":"rate_limited")"), std::string::npos) << received[i];
  }
  EXPECT_EQ(server.app().total_messages(), 3);  // dropped messages never reach the handler
  EXPECT_EQ(metric_value(server.registry().render(), "helpline_ws_flood_drops_total{kind=\"visitor\"}"), 4.0);
}

TEST(websocket_session, slow_consumer_is_closed_with_1008_and_the_server_stays_healthy) {
  auto options = test_options();
  options.max_queued_messages = 16;
  options.max_queued_bytes = 1024 * 1024;
  test_server server(options);
  ws_client slow(server.port(), "/ws/visitor");
  // The handler queues 500 messages at once, far more than the queue holds; the client reads
  // nothing until the server has given up on it.
  slow.send("burst:500:4096");
  ASSERT_TRUE(eventually([&] {
    return metric_value(server.registry().render(), "helpline_transport_errors_total{reason=\"slow_consumer\"}") == 1.0;
  }));
  std::vector<std::string> received;
  EXPECT_EQ(slow.read_until_close(&received), 1008);
  EXPECT_LE(received.size(), 16u);
  // The message that found the queue full is counted; later sends to a closing session are refused.
  EXPECT_GE(metric_value(server.registry().render(), "helpline_ws_write_queue_drops_total{kind=\"visitor\"}"), 1.0);
  EXPECT_EQ(server.app().total_messages(), 1);

  EXPECT_EQ(http_get(server.port(), "/healthz").result_int(), 200u);
  ws_client other(server.port(), "/ws/visitor");
  other.send("still here");
  EXPECT_EQ(other.read(), "still here");
}

TEST(websocket_session, peer_that_never_reads_is_disconnected) {
  auto options = test_options();
  options.max_queued_messages = 4;
  options.handshake_timeout = std::chrono::seconds(1);
  options.idle_timeout = std::chrono::seconds(2);
  test_server server(options);
  ws_client slow(server.port(), "/ws/visitor");
  // Writes start and fill the socket buffers, then the queue; the close frame can never be
  // written, so the close deadline (idle + handshake timeout) disconnects the peer.
  slow.send("trickle:400:65536");
  ASSERT_TRUE(eventually([&] { return server.app().total_closes() == 1; }));
  ASSERT_TRUE(eventually([&] { return server.server().open_connections() == 0; }));
  EXPECT_EQ(metric_value(server.registry().render(), "helpline_transport_errors_total{reason=\"slow_consumer\"}"), 1.0);
}

TEST(websocket_session, application_close_is_sent_after_queued_messages) {
  test_server server;
  ws_client ws(server.port(), "/ws/advisor");
  ws.send("first");
  ws.send("close");
  std::vector<std::string> received;
  EXPECT_EQ(ws.read_until_close(&received), 1000);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0], "first");
  ASSERT_TRUE(eventually([&] { return server.app().total_closes() == 1; }));
}

TEST(websocket_session, on_close_runs_once_when_the_client_vanishes) {
  test_server server;
  {
    ws_client ws(server.port(), "/ws/visitor");
    ws.send("x");
    EXPECT_EQ(ws.read(), "x");
  }  // socket closed without a close frame
  ASSERT_TRUE(eventually([&] { return server.app().total_closes() == 1; }));
  EXPECT_TRUE(eventually([&] {
    return metric_value(server.registry().render(), "helpline_ws_connections_open{kind=\"visitor\"}") == 0.0;
  }));
}

TEST(websocket_session, stop_closes_sessions_with_1001) {
  test_server server;
  ws_client visitor(server.port(), "/ws/visitor");
  ws_client advisor(server.port(), "/ws/advisor");
  visitor.send("a");
  EXPECT_EQ(visitor.read(), "a");
  server.server().stop();
  EXPECT_EQ(visitor.read_until_close(), 1001);
  EXPECT_EQ(advisor.read_until_close(), 1001);
  server.stop_and_join();  // io_context runs out of work: nothing left behind
  EXPECT_EQ(server.app().total_closes(), 2);
}

TEST(websocket_session, origin_same_host_only_by_default) {
  test_server server;
  EXPECT_EQ(ws_client::refused_status(server.port(), "/ws/visitor", "https://evil.example"), 403u);
  EXPECT_EQ(ws_client::refused_status(server.port(), "/ws/visitor", "null"), 403u);
  EXPECT_EQ(ws_client::refused_status(server.port(), "/ws/visitor", origin_for(server.port())), 0u);
  EXPECT_EQ(ws_client::refused_status(server.port(), "/ws/visitor"), 0u);  // no Origin: not a browser
}

TEST(websocket_session, origin_allow_list_and_wildcard) {
  auto options = test_options();
  options.allowed_origins = {"https://helpline.example"};
  test_server listed(options);
  EXPECT_EQ(ws_client::refused_status(listed.port(), "/ws/visitor", "https://helpline.example"), 0u);
  EXPECT_EQ(ws_client::refused_status(listed.port(), "/ws/visitor", "https://evil.example"), 403u);
  EXPECT_EQ(ws_client::refused_status(listed.port(), "/ws/visitor", origin_for(listed.port())), 403u);

  options.allowed_origins = {"*"};
  test_server any(options);
  EXPECT_EQ(ws_client::refused_status(any.port(), "/ws/visitor", "https://evil.example"), 0u);
}
