// Operators see the service from outside: /healthz, /readyz (Redis reachable) and /metrics in
// Prometheus text format with connections, queue lengths by level, waits, messages and errors.
#include <gtest/gtest.h>

#include <set>
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

// Gauges such as the queue length are refreshed by each node's queue tracker shortly after a
// change, so a scrape may need to wait a moment for them.
std::string scrape_until(const helpline_process& node, const std::string& line) {
  std::string body;
  for (int i = 0; i < 50; ++i) {
    auto [status, text] = node.http_get("/metrics");
    body = text;
    if (status == 200 && has_line(body, line)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return body;
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
  std::string waiting = scrape_until(node, "helpline_queue_length{level=\"none\"} 1");
  EXPECT_TRUE(has_line(waiting, "helpline_queue_length{level=\"none\"} 1")) << waiting;
  EXPECT_TRUE(has_line(waiting, "helpline_ws_connections_open{kind=\"visitor\"} 1")) << waiting;
  EXPECT_TRUE(has_line(waiting, "helpline_errors_total{code=\"unknown_type\"} 1")) << waiting;

  set_presence(sam, "available");
  take_offer(sam, c.id);
  visitor_says(visitor, "v-1", "Hello, I need to talk to someone.");
  advisor_says(sam, c.id, "a-1", "I'm here.");
  std::string after = scrape_until(node, "helpline_queue_length{level=\"none\"} 0");
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

namespace integration {
namespace {

using namespace test_support;

class live_lists : public helpline_test {};

// Consoles ask for `conversations` on every login and reconnect: an advisor sees their own, a
// supervisor every live one, waiting or active (this once crashed the server).
TEST_F(live_lists, advisors_list_their_conversations_and_supervisors_list_all_live_ones) {
  helpline_process& node = start_node({}, {sam_advisor(), sue_supervisor()});
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);
  set_presence(sam, "available");
  ws_client& one = client("visitor 1");
  visitor_conversation active = connect_and_start(one, node.port());
  take_offer(sam, active.id);
  set_presence(sam, "away");
  ws_client& two = client("visitor 2");
  visitor_conversation waiting = connect_and_start(two, node.port());

  auto ids_of = [](const json::object& reply) {
    std::set<std::string> ids;
    for (const auto& c : field(reply, "conversations").as_array()) ids.insert(str(c.as_object(), "id"));
    return ids;
  };
  json::object mine = sam.request(json::object{{"type", "conversations"}, {"ref", "mine"}});
  EXPECT_EQ(ids_of(mine), (std::set<std::string>{active.id}));

  ws_client& sue = client("supervisor sue");
  login(sue, node.port(), "sue", sue_supervisor().password);
  json::object all = sue.request(json::object{{"type", "conversations"}, {"ref", "all"}});
  EXPECT_EQ(ids_of(all), (std::set<std::string>{active.id, waiting.id}));
  EXPECT_TRUE(node.running()) << node.log_tail();
}

}  // namespace
}  // namespace integration
