// Bad input gets the documented error or close code, the connection goes on where the protocol
// says it does, and nothing stored changes.
#include <gtest/gtest.h>

#include "conversation_steps.hpp"
#include "helpline_fixture.hpp"
#include "json_frames.hpp"

namespace integration {
namespace {

using namespace test_support;

class bad_input : public helpline_test {
 protected:
  // A node, Sam in an active conversation with one visitor, two messages stored.
  void open_conversation() {
    node_ = &start_node({}, {sam_advisor()});
    sam_ = &client("advisor sam");
    login(*sam_, node_->port(), "sam", sam_advisor().password);
    set_presence(*sam_, "available");
    visitor_ = &client("visitor");
    conversation_ = connect_and_start(*visitor_, node_->port());
    take_offer(*sam_, conversation_.id);
    visitor_->recv_type("advisor_joined");
    visitor_says(*visitor_, "v-1", "First message.");
    last_seq_ = advisor_says(*sam_, conversation_.id, "a-1", "Hello.");
    expect_message(*visitor_, last_seq_, "advisor");
  }

  // Nothing was stored: the advisor's history after the last seq is empty, the whole history
  // still ends at last_seq, and a resumed visitor sees the same last_seq.
  void expect_nothing_stored() {
    EXPECT_TRUE(history(*sam_, conversation_.id, last_seq_).empty());
    EXPECT_EQ(static_cast<std::int64_t>(history(*sam_, conversation_.id, 0).size()), last_seq_);
  }

  void resume_visitor() {
    json::object welcome = visitor_hello(*visitor_, node_->port(), conversation_.resume_token, last_seq_);
    ASSERT_EQ(str(welcome, "resume"), "ok") << describe(welcome);
    EXPECT_EQ(integer(obj(welcome, "conversation"), "last_seq"), last_seq_);
    EXPECT_EQ(str(obj(welcome, "conversation"), "state"), "active");
  }

  helpline_process* node_ = nullptr;
  ws_client* sam_ = nullptr;
  ws_client* visitor_ = nullptr;
  visitor_conversation conversation_;
  std::int64_t last_seq_ = 0;
};

TEST_F(bad_input, invalid_json_unknown_type_and_bad_fields_are_errors_and_the_connection_goes_on) {
  open_conversation();

  visitor_->send_text("{\"type\": \"message\", \"text\": ");
  json::object bad_json = visitor_->recv_type("error");
  EXPECT_EQ(str(bad_json, "code"), "bad_json") << describe(bad_json);
  visitor_->send_text("[1, 2, 3]");
  EXPECT_EQ(str(visitor_->recv_type("error"), "code"), "bad_json") << "a JSON array is not a frame";

  expect_error(*visitor_, json::object{{"type", "frobnicate"}}, "unknown_type");
  // A repeated key would let the last one win: a message could turn into an `end`. Refused.
  visitor_->send_text(R"({"type": "message", "client_id": "v-dup", "text": "hello", "type": "end"})");
  json::object duplicate = visitor_->recv_type("error");
  EXPECT_EQ(str(duplicate, "code"), "bad_request") << describe(duplicate);
  EXPECT_NE(str(duplicate, "message").find("twice"), std::string::npos);
  // A ref that cannot be echoed back is said to be wrong, not silently dropped.
  visitor_->send_text(R"({"type": "ping", "ref": {"not": "a ref"}})");
  EXPECT_EQ(str(visitor_->recv_type("error"), "code"), "bad_request");
  expect_error(*visitor_, json::object{{"type", "message"}, {"text", "no client id"}}, "bad_request");
  expect_error(*visitor_, json::object{{"type", "message"}, {"client_id", "v-x"}}, "bad_request");
  expect_error(*visitor_, json::object{{"type", "message"}, {"client_id", std::string(65, 'x')}, {"text", "id too long"}},
               "bad_request");
  expect_error(*visitor_,
               json::object{{"type", "message"}, {"client_id", "v-long"}, {"text", std::string(4001, 'a')}},
               "too_long");
  // The limit is in characters, as the widget counts: 4,000 Arabic letters (8,000 bytes) are one
  // message like 4,000 'a's, and one more is refused.
  std::string arabic;
  for (int i = 0; i < 4000; ++i) arabic += "\xD8\xB3";  // U+0633
  expect_error(*visitor_, json::object{{"type", "message"}, {"client_id", "v-ar-long"}, {"text", arabic + "\xD8\xB3"}},
               "too_long");
  visitor_->send(json::object{{"type", "message"}, {"client_id", "v-ar"}, {"text", arabic}});
  json::object ack = visitor_->recv_type("ack");
  EXPECT_EQ(str(ack, "client_id"), "v-ar");
  last_seq_ = integer(ack, "seq");  // stored, as it should be: what follows stores nothing more
  expect_error(*visitor_, json::object{{"type", "start"}, {"caller_type", "own_behaviour"}, {"lang", "en"}},
               "wrong_state");
  expect_error(*sam_, json::object{{"type", "frobnicate"}}, "unknown_type");
  expect_error(*sam_, json::object{{"type", "message"}, {"conversation_id", conversation_.id}, {"text", "no id"}},
               "bad_request");
  expect_error(*sam_, json::object{{"type", "join"}, {"conversation_id", conversation_.id}}, "forbidden");
  expect_error(*sam_, json::object{{"type", "history"}, {"conversation_id", "c_does_not_exist"}, {"after_seq", 0}},
               "not_found");

  EXPECT_TRUE(visitor_->is_open());
  EXPECT_TRUE(sam_->is_open());
  visitor_->sync();
  sam_->sync();
  expect_nothing_stored();
  // And the conversation works as before.
  std::int64_t next = visitor_says(*visitor_, "v-2", "Still here.");
  EXPECT_EQ(next, last_seq_ + 1);
}

TEST_F(bad_input, oversized_frame_closes_1009_and_invalid_utf8_closes_1007_without_storing) {
  open_conversation();

  // 21 KiB of valid JSON: over the 20 KiB frame limit.
  json::object big{{"type", "message"}, {"client_id", "v-big"}, {"text", std::string(21 * 1024, 'a')}};
  visitor_->send_text(json::serialize(big));
  EXPECT_EQ(visitor_->wait_closed(), 1009);
  expect_nothing_stored();
  resume_visitor();

  std::string invalid_utf8 = "{\"type\": \"message\", \"client_id\": \"v-bad\", \"text\": \"caf\xC3\x28\"}";
  visitor_->send_text(invalid_utf8);
  EXPECT_EQ(visitor_->wait_closed(), 1007);
  expect_nothing_stored();
  resume_visitor();

  visitor_->send_binary("{\"type\": \"ping\"}");
  EXPECT_EQ(visitor_->wait_closed(), 1003);
  expect_nothing_stored();
  resume_visitor();

  // After all that the visitor's next message is the next seq.
  std::int64_t next = visitor_says(*visitor_, "v-2", "Sorry, my phone is playing up.");
  EXPECT_EQ(next, last_seq_ + 1);
  expect_message(*sam_, next, "visitor");
}

TEST_F(bad_input, unsupported_version_is_refused_with_1008) {
  helpline_process& node = start_node();
  ws_client& visitor = client("visitor");
  visitor.connect(node.port(), "/ws/visitor");
  visitor.send(json::object{{"type", "hello"}, {"v", 2}, {"lang", "en"}});
  EXPECT_TRUE(is_error(visitor.recv(), "unsupported_version"));
  EXPECT_EQ(visitor.wait_closed(), 1008);
}

TEST_F(bad_input, message_during_screening_is_wrong_state_and_the_screening_goes_on) {
  helpline_process& node = start_node();
  ws_client& visitor = client("visitor");
  visitor_hello(visitor, node.port());
  json::object started = visitor.request(
      json::object{{"type", "start"}, {"caller_type", "own_behaviour"}, {"lang", "en"}, {"ref", "s1"}});
  ASSERT_EQ(frame_type(started), "started") << describe(started);
  json::object first = obj(visitor.recv_type("question"), "question");

  expect_error(visitor, json::object{{"type", "message"}, {"client_id", "v-1"}, {"text", "hello?"}}, "wrong_state");
  expect_error(visitor, json::object{{"type", "answer"}, {"question_id", "not_the_pending_one"}, {"value", "no"}},
               "wrong_state");
  if (str(first, "kind") == "choice") {
    expect_error(visitor, json::object{{"type", "answer"}, {"question_id", str(first, "id")}, {"value", "no_such_option"}},
                 "bad_request");
  }

  // The pending question is unchanged: a reload shows it, and answering it goes on.
  ws_client& reload = client("visitor after reload");
  json::object welcome = visitor_hello(reload, node.port(), str(started, "resume_token"), 0);
  ASSERT_EQ(str(welcome, "resume"), "ok") << describe(welcome);
  const json::object& conversation = obj(welcome, "conversation");
  EXPECT_EQ(str(conversation, "state"), "screening");
  EXPECT_EQ(str(obj(conversation, "question"), "id"), str(first, "id"));
  EXPECT_EQ(integer(conversation, "last_seq"), 0) << "nothing was stored";

  reload.send(json::object{
      {"type", "answer"}, {"question_id", str(first, "id")}, {"value", choose_answer(first, {})}, {"ref", "a1"}});
  json::object next = reload.recv_match(
      [](const json::object& f) { return is_type(f, "question") || is_type(f, "queue") || is_type(f, "error"); },
      "next question");
  EXPECT_FALSE(is_type(next, "error")) << describe(next);
}

TEST_F(bad_input, advisor_must_log_in_and_a_wrong_password_is_refused) {
  helpline_process& node = start_node({}, {sam_advisor()});
  ws_client& console = client("console");
  console.connect(node.port(), "/ws/advisor");
  expect_error(console, json::object{{"type", "queue"}}, "not_authenticated");
  expect_error(console, json::object{{"type", "presence"}, {"status", "available"}}, "not_authenticated");
  expect_error(console, json::object{{"type", "callbacks"}}, "not_authenticated");
  expect_error(console, json::object{{"type", "login"}, {"username", "sam"}, {"password", "wrong-password"}},
               "bad_credentials");
  expect_error(console, json::object{{"type", "login"}, {"username", "nobody"}, {"password", "wrong-password"}},
               "bad_credentials");
  expect_error(console, json::object{{"type", "login"}, {"token", "t_not_a_real_token"}}, "bad_credentials");
  expect_error(console, json::object{{"type", "queue"}}, "not_authenticated");

  json::object ok = console.request(
      json::object{{"type", "login"}, {"username", "sam"}, {"password", sam_advisor().password}, {"ref", "l1"}});
  ASSERT_EQ(frame_type(ok), "logged_in") << describe(ok);
  json::object queue = console.request(json::object{{"type", "queue"}, {"ref", "q1"}});
  EXPECT_EQ(frame_type(queue), "queue") << describe(queue);
}

}  // namespace
}  // namespace integration
