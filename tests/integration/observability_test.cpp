// Operators see the service from outside: /healthz, /readyz (Redis reachable) and /metrics in
// Prometheus text format with connections, queue lengths by level, waits, messages and errors.
#include <gtest/gtest.h>

#include <thread>

#include "conversation_steps.hpp"
#include "helpline_fixture.hpp"
#include "json_frames.hpp"

namespace integration {
namespace {

using namespace test_support;

class observability : public helpline_test {};

bool has_line(const std::string& text, const std::string& prefix) {
  std::size_t pos = 0;
  while ((pos = text.find(prefix, pos)) != std::string::npos) {
    if (pos == 0 || text[pos - 1] == '\n') return true;
    ++pos;
  }
  return false;
}

TEST_F(observability, health_readiness_and_metrics_reflect_what_happened) {
  helpline_process& node = start_node({}, {sam_advisor()});
  EXPECT_EQ(node.http_status("/healthz"), 200);
  EXPECT_EQ(node.http_status("/readyz"), 200);

  ws_client& visitor = client("visitor");
  visitor_conversation c = connect_and_start(visitor, node.port());
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);
  expect_error(visitor, json::object{{"type", "no_such_type"}}, "unknown_type");

  // Waiting: the queue gauge counts it at its level.
  auto [status, waiting] = node.http_get("/metrics");
  ASSERT_EQ(status, 200);
  EXPECT_TRUE(has_line(waiting, "helpline_queue_length{level=\"none\"} 1")) << waiting;
  EXPECT_TRUE(has_line(waiting, "helpline_ws_connections_open{kind=\"visitor\"} 1")) << waiting;
  EXPECT_TRUE(has_line(waiting, "helpline_errors_total{code=\"unknown_type\"} 1")) << waiting;

  set_presence(sam, "available");
  take_offer(sam, c.id);
  visitor_says(visitor, "v-1", "Hello, I need to talk to someone.");
  advisor_says(sam, c.id, "a-1", "I'm here.");
  auto [status2, after] = node.http_get("/metrics");
  ASSERT_EQ(status2, 200);
  EXPECT_TRUE(has_line(after, "helpline_queue_length{level=\"none\"} 0")) << after;
  EXPECT_TRUE(has_line(after, "helpline_messages_total{from=\"visitor\"} 1")) << after;
  EXPECT_TRUE(has_line(after, "helpline_messages_total{from=\"advisor\"} 1")) << after;
  EXPECT_TRUE(has_line(after, "helpline_queue_wait_seconds_count 1")) << after;
  EXPECT_TRUE(has_line(after, "helpline_redis_up 1")) << after;
  // Confidential by default: no message text in what operators scrape.
  EXPECT_EQ(after.find("need to talk"), std::string::npos);
}

TEST_F(observability, readiness_fails_while_redis_is_down_and_recovers) {
  helpline_process& node = start_node();
  redis().stop();
  bool went_unready = false;
  for (int i = 0; i < 100 && !went_unready; ++i) {
    went_unready = node.http_status("/readyz") == 503;
    if (!went_unready) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(went_unready) << "/readyz still 200 with Redis down";
  EXPECT_EQ(node.http_status("/healthz"), 200) << "the process itself is alive";
  redis().start();
  node.wait_ready();
}

}  // namespace
}  // namespace integration
