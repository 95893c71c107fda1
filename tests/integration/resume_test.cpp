// Nothing acknowledged is lost and nothing is shown twice when a connection drops: the visitor
// resumes with its token and last_seq, the advisor asks for history, resends are idempotent.
#include <gtest/gtest.h>

#include "conversation_steps.hpp"
#include "helpline_fixture.hpp"
#include "json_frames.hpp"

namespace integration {
namespace {

using namespace test_support;

class resume : public helpline_test {};

std::size_t count_messages(const ws_client& c, std::int64_t seq) {
  std::size_t n = 0;
  for (const json::object& f : c.received("message")) {
    const json::value* s = f.if_contains("seq");
    if (s != nullptr && s->is_int64() && s->as_int64() == seq) ++n;
  }
  return n;
}

std::size_t count_client_id(const ws_client& c, const std::string& client_id) {
  std::size_t n = 0;
  for (const json::object& f : c.received("message")) {
    const json::value* id = f.if_contains("client_id");
    if (id != nullptr && id->is_string() && id->as_string() == client_id) ++n;
  }
  return n;
}

TEST_F(resume, visitor_gets_exactly_the_missed_messages_once_and_resends_are_idempotent) {
  helpline_process& node = start_node({}, {sam_advisor()});
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);
  set_presence(sam, "available");
  ws_client& visitor = client("visitor");
  visitor_conversation c = connect_and_start(visitor, node.port());
  take_offer(sam, c.id);
  visitor.recv_type("advisor_joined");

  const std::string first_text = "I want to talk about what happened.";
  std::int64_t s1 = visitor_says(visitor, "v-1", first_text);
  expect_message(sam, s1, "visitor", first_text);
  std::int64_t s2 = advisor_says(sam, c.id, "a-1", "I'm here. Tell me more.");
  expect_message(visitor, s2, "advisor");

  visitor.drop();  // the phone loses signal; the visitor has shown up to s2
  visitor.discard_pending();  // frames from before the drop (its own echo of s1) are not re-sends

  std::int64_t s3 = advisor_says(sam, c.id, "a-2", "Are you still there?");
  std::int64_t s4 = advisor_says(sam, c.id, "a-3", "Take your time.");
  ASSERT_EQ(s3, s2 + 1);
  ASSERT_EQ(s4, s3 + 1);

  json::object welcome = visitor_hello(visitor, node.port(), c.resume_token, s2);
  ASSERT_EQ(str(welcome, "resume"), "ok") << describe(welcome);
  const json::object& conversation = obj(welcome, "conversation");
  EXPECT_EQ(str(conversation, "id"), c.id);
  EXPECT_EQ(str(conversation, "state"), "active");
  EXPECT_EQ(integer(conversation, "last_seq"), s4);
  EXPECT_EQ(str(obj(conversation, "advisor"), "name"), "Sam");

  expect_message(visitor, s3, "advisor", std::string("Are you still there?"));
  expect_message(visitor, s4, "advisor", std::string("Take your time."));
  visitor.sync();
  EXPECT_TRUE(visitor.pending("message").empty()) << "only the missed messages are re-sent";
  for (std::int64_t seq = s1; seq <= s4; ++seq) EXPECT_EQ(count_messages(visitor, seq), 1u) << "seq " << seq;

  // Had the ack of v-1 been lost, the widget resends it with the same client_id.
  std::int64_t again = visitor_says(visitor, "v-1", first_text);
  EXPECT_EQ(again, s1) << "a resend returns the original seq";
  std::int64_t s5 = visitor_says(visitor, "v-2", "Sorry, my battery died.");
  EXPECT_EQ(s5, s4 + 1) << "the resend stored nothing new";
  expect_message(sam, s5, "visitor");
  sam.sync();
  visitor.sync();
  EXPECT_EQ(count_client_id(sam, "v-1"), 1u) << "the advisor sees a resent message once";
  EXPECT_EQ(count_client_id(visitor, "v-1"), 1u);

  std::vector<json::object> stored = history(sam, c.id, 0);
  ASSERT_EQ(static_cast<std::int64_t>(stored.size()), s5);
  std::size_t copies = 0;
  for (std::size_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(integer(stored[i], "seq"), static_cast<std::int64_t>(i + 1));
    if (has(stored[i], "client_id") && str(stored[i], "client_id") == "v-1") ++copies;
  }
  EXPECT_EQ(copies, 1u);
}

TEST_F(resume, advisor_reconnects_with_token_and_reads_history_after_its_last_seq) {
  helpline_process& node = start_node({}, {sam_advisor()});
  ws_client& sam = client("advisor sam");
  json::object logged_in = login(sam, node.port(), "sam", sam_advisor().password);
  std::string token = str(logged_in, "token");
  set_presence(sam, "available");
  ws_client& visitor = client("visitor");
  visitor_conversation c = connect_and_start(visitor, node.port());
  take_offer(sam, c.id);
  visitor.recv_type("advisor_joined");
  std::int64_t s1 = visitor_says(visitor, "v-1", "Hello.");
  expect_message(sam, s1, "visitor");

  sam.drop();  // the console's network drops mid-conversation

  std::int64_t s2 = visitor_says(visitor, "v-2", "It happened again on Friday.");
  std::int64_t s3 = visitor_says(visitor, "v-3", "I don't know what to do.");
  ASSERT_EQ(s2, s1 + 1);
  ASSERT_EQ(s3, s2 + 1);

  ws_client& console = client("advisor sam (reconnected)");
  json::object relogged = login_with_token(console, node.port(), token);
  EXPECT_EQ(str(obj(relogged, "advisor"), "id"), "sam");
  EXPECT_EQ(str(relogged, "presence"), "available") << "a token login keeps the presence";

  json::object list = console.request(json::object{{"type", "conversations"}, {"ref", "list"}});
  ASSERT_EQ(frame_type(list), "conversations") << describe(list);
  bool listed = false;
  for (const json::object& summary : objects(list, "conversations")) {
    if (has(summary, "id") && str(summary, "id") == c.id) listed = true;
  }
  EXPECT_TRUE(listed) << "the advisor's live conversation is listed after reconnecting: " << describe(list);

  std::vector<json::object> missed = history(console, c.id, s1);
  ASSERT_EQ(missed.size(), 2u) << "exactly the messages after seq " << s1;
  EXPECT_EQ(integer(missed[0], "seq"), s2);
  EXPECT_EQ(str(missed[0], "text"), "It happened again on Friday.");
  EXPECT_EQ(integer(missed[1], "seq"), s3);
  EXPECT_EQ(str(missed[1], "text"), "I don't know what to do.");
  EXPECT_TRUE(history(console, c.id, s3).empty());

  // Live events reach the reconnected console, and its messages reach the visitor.
  std::int64_t s4 = visitor_says(visitor, "v-4", "Are you there?");
  expect_message(console, s4, "visitor", std::string("Are you there?"));
  std::int64_t s5 = advisor_says(console, c.id, "a-1", "Yes, sorry, I'm back.");
  EXPECT_EQ(s5, s4 + 1);
  expect_message(visitor, s5, "advisor", std::string("Yes, sorry, I'm back."));
}

}  // namespace
}  // namespace integration
