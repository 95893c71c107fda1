// Two `helpline serve` processes on one Redis are one service: a visitor on node A talks to an
// advisor on node B, and a node that goes down loses nothing acknowledged.
#include <gtest/gtest.h>

#include "conversation_steps.hpp"
#include "helpline_fixture.hpp"
#include "json_frames.hpp"

namespace integration {
namespace {

using namespace test_support;

class two_nodes : public helpline_test {};

TEST_F(two_nodes, visitor_on_node_a_talks_to_advisor_on_node_b) {
  helpline_options a_options;
  a_options.node_id = "node-a";
  helpline_process& node_a = start_node(a_options, {sam_advisor()});
  helpline_options b_options;
  b_options.node_id = "node-b";
  helpline_process& node_b = start_node(b_options);
  ASSERT_NE(node_a.port(), node_b.port());

  ws_client& sam = client("advisor sam (node B)");
  login(sam, node_b.port(), "sam", sam_advisor().password);
  set_presence(sam, "available");

  ws_client& visitor = client("visitor (node A)");
  visitor_conversation c = connect_and_start(visitor, node_a.port());
  json::object conversation = take_offer(sam, c.id);
  EXPECT_EQ(objects(conversation, "answers").size(), c.questions.size());
  EXPECT_EQ(str(obj(visitor.recv_type("advisor_joined"), "advisor"), "name"), "Sam");

  std::int64_t s1 = visitor_says(visitor, "v-1", "Hello from node A.");
  expect_message(sam, s1, "visitor", std::string("Hello from node A."));
  std::int64_t s2 = advisor_says(sam, c.id, "a-1", "Hello from node B.");
  EXPECT_EQ(s2, s1 + 1);
  expect_message(visitor, s2, "advisor", std::string("Hello from node B."));

  // Node A goes down (a crash, not a clean stop); the visitor resumes on node B.
  visitor.drop();
  node_a.kill();
  std::int64_t s3 = advisor_says(sam, c.id, "a-2", "Still here.");
  json::object welcome = visitor_hello(visitor, node_b.port(), c.resume_token, s2);
  ASSERT_EQ(str(welcome, "resume"), "ok") << describe(welcome);
  EXPECT_EQ(integer(obj(welcome, "conversation"), "last_seq"), s3);
  expect_message(visitor, s3, "advisor", std::string("Still here."));
  std::int64_t s4 = visitor_says(visitor, "v-2", "Back, on the other node.");
  EXPECT_EQ(s4, s3 + 1);
  expect_message(sam, s4, "visitor");
}

}  // namespace
}  // namespace integration
