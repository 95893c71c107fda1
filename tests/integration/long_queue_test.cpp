// However long the queue, every waiting visitor is told their place: a flood must not leave the
// visitors beyond the advisors' detail view (200 entries) with no `queue` frame, the only answer
// to their last screening answer.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "conversation_steps.hpp"
#include "helpline_fixture.hpp"
#include "json_frames.hpp"

namespace integration {
namespace {

using namespace test_support;

class long_queue : public helpline_test {};

// Room for `sockets` open connections in this process and the server it starts.
bool raise_open_files(rlim_t sockets) {
  rlimit r{};
  if (getrlimit(RLIMIT_NOFILE, &r) != 0) return false;
  if (r.rlim_cur >= sockets) return true;
  r.rlim_cur = std::min(sockets, r.rlim_max);
  return setrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur >= sockets;
}

TEST_F(long_queue, every_one_of_a_thousand_waiting_visitors_gets_a_position) {
  constexpr int visitors = 1000;
  ASSERT_TRUE(raise_open_files(visitors * 2 + 256)) << "this test needs about 2,300 open files";
  helpline_process& node = start_node({}, {sam_advisor()});

  // Each visitor sends hello, start and the whole screening at once (the server takes a
  // connection's frames in order), so a thousand queue up in seconds.
  std::vector<ws_client*> all;
  for (int i = 0; i < visitors; ++i) {
    ws_client& v = client("visitor " + std::to_string(i));
    v.connect(node.port(), "/ws/visitor");
    v.send(json::object{{"type", "hello"}, {"v", 1}, {"lang", "en"}});
    v.send(json::object{{"type", "start"}, {"caller_type", "own_behaviour"}, {"lang", "en"}, {"ref", "s"}});
    v.send(json::object{{"type", "answer"}, {"question_id", "danger_now"}, {"value", "no"}});
    v.send(json::object{{"type", "answer"}, {"question_id", "what_worries"}, {"value", "other"}});
    v.send(json::object{{"type", "answer"}, {"question_id", "children"}, {"value", "no"}});
    v.send(json::object{{"type", "answer"}, {"question_id", "recent_change"}, {"value", "neither"}});
    v.send(json::object{{"type", "answer"}, {"question_id", "anything_else"}, {"value", ""}});
    all.push_back(&v);
  }
  // Every one of them gets a position, the last ones included, and no two share one.
  std::set<std::int64_t> positions;
  for (int i = 0; i < visitors; ++i) {
    json::object q = all[static_cast<std::size_t>(i)]->recv_type("queue", std::chrono::seconds(60));
    positions.insert(integer(q, "position"));
  }
  EXPECT_EQ(positions.size(), static_cast<std::size_t>(visitors));
  EXPECT_EQ(*positions.rbegin(), visitors) << "the last in line knows it is number 1,000";

  // Advisors see the first 200 in detail and how many wait in all.
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);
  json::object snapshot = sam.request(json::object{{"type", "queue"}, {"ref", "q"}});
  EXPECT_EQ(objects(snapshot, "entries").size(), 200u);
  EXPECT_EQ(integer(snapshot, "total"), visitors);
}

}  // namespace
}  // namespace integration
