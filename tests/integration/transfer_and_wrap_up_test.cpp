// An advisor hands a conversation to a colleague with a note (the history travels with it), and
// ends a conversation with a wrap-up before taking the next contact.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "conversation_steps.hpp"
#include "helpline_fixture.hpp"
#include "json_frames.hpp"

namespace integration {
namespace {

using namespace test_support;

class handover : public helpline_test {};

TEST_F(handover, transfer_with_a_note_carries_history_and_answers_to_the_new_advisor) {
  helpline_process& node = start_node({}, {sam_advisor(), priya_advisor()});
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);
  ws_client& priya = client("advisor priya");
  login(priya, node.port(), "priya", priya_advisor().password);
  set_presence(sam, "available");  // priya stays away, so the offer can only go to sam

  ws_client& visitor = client("visitor");
  visitor_conversation c = connect_and_start(visitor, node.port());
  take_offer(sam, c.id);
  visitor.recv_type("advisor_joined");
  std::int64_t s1 = visitor_says(visitor, "v-1", "I grabbed her arm during a row.");
  std::int64_t s2 = advisor_says(sam, c.id, "a-1", "Thank you for telling me that.");
  expect_message(visitor, s2, "advisor");

  set_presence(priya, "available");
  const std::string note = "Grabbed partner's arm; wants a programme near Leeds";
  json::object reply = sam.request(json::object{
      {"type", "transfer"}, {"conversation_id", c.id}, {"to", "priya"}, {"note", note}, {"ref", "t1"}});
  ASSERT_EQ(frame_type(reply), "transferred") << describe(reply);
  EXPECT_EQ(str(reply, "conversation_id"), c.id);

  json::object offer = expect_offer(priya, c.id);
  const json::object& offered = obj(offer, "conversation");
  EXPECT_EQ(str(offered, "transfer_note"), note);
  EXPECT_EQ(objects(offered, "answers").size(), c.questions.size()) << "the screening answers travel too";

  json::object conversation = accept(priya, c.id);
  EXPECT_EQ(str(conversation, "transfer_note"), note);
  EXPECT_EQ(str(obj(conversation, "advisor"), "id"), "priya");
  EXPECT_EQ(objects(conversation, "answers").size(), c.questions.size());
  // The transcript marks the transfer: a system notice after Sam's last message, which the
  // visitor was sent too.
  EXPECT_EQ(integer(conversation, "last_seq"), s2 + 1);
  std::vector<json::object> messages = objects(conversation, "messages");
  ASSERT_EQ(static_cast<std::int64_t>(messages.size()), s2 + 1) << "the whole history travels";
  EXPECT_EQ(str(messages[static_cast<std::size_t>(s1 - 1)], "text"), "I grabbed her arm during a row.");
  EXPECT_EQ(str(messages[static_cast<std::size_t>(s2 - 1)], "text"), "Thank you for telling me that.");
  EXPECT_EQ(str(messages[static_cast<std::size_t>(s2)], "from"), "system");
  EXPECT_EQ(str(messages[static_cast<std::size_t>(s2)], "notice"), "transferring");
  EXPECT_EQ(str(messages[static_cast<std::size_t>(s2)], "name"), "Sam");

  json::object told = expect_message(visitor, s2 + 1, "system");
  EXPECT_EQ(str(told, "notice"), "transferring") << "the visitor is told they are being passed on";
  json::object transferred = visitor.recv_type("transferred");
  EXPECT_EQ(str(obj(transferred, "advisor"), "name"), "Priya");

  // The visitor never repeats themselves: the conversation simply goes on with Priya.
  std::int64_t s3 = advisor_says(priya, c.id, "p-1", "Hello, I'm Priya. I've read what you told Sam.");
  EXPECT_EQ(s3, s2 + 2);
  json::object got = expect_message(visitor, s3, "advisor");
  EXPECT_EQ(str(got, "name"), "Priya");
  std::int64_t s4 = visitor_says(visitor, "v-2", "Thanks.");
  expect_message(priya, s4, "visitor", std::string("Thanks."));
}

TEST_F(handover, a_transfer_to_an_advisor_who_is_offline_goes_to_someone_available_at_once) {
  helpline_options slow_skills;
  slow_skills.skill_wait_seconds = 60;  // the wait a transfer to an absent advisor used to sit out
  helpline_process& node = start_node(slow_skills, {sam_advisor(), priya_advisor(), sue_supervisor()});
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);
  set_presence(sam, "available");
  ws_client& visitor = client("visitor");
  visitor_conversation c = connect_and_start(visitor, node.port());
  take_offer(sam, c.id);
  ws_client& sue = client("supervisor sue");
  login(sue, node.port(), "sue", sue_supervisor().password);
  set_presence(sue, "available");

  // Priya has not logged in today.
  const auto asked = std::chrono::steady_clock::now();
  json::object reply = sam.request(json::object{
      {"type", "transfer"}, {"conversation_id", c.id}, {"to", "priya"}, {"note", "for Priya"}, {"ref", "t1"}});
  ASSERT_EQ(frame_type(reply), "transferred") << describe(reply);
  expect_offer(sue, c.id);
  const auto waited = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - asked);
  EXPECT_LT(waited.count(), 10) << "offered to someone there long before the 60 s skill wait";
}

TEST_F(handover, end_and_wrap_up_then_the_advisor_takes_the_next_contact) {
  helpline_process& node = start_node({}, {sam_advisor(1)});
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);
  set_presence(sam, "available");

  ws_client& first = client("visitor 1");
  visitor_conversation one = connect_and_start(first, node.port());
  take_offer(sam, one.id);
  first.recv_type("advisor_joined");
  std::int64_t s1 = visitor_says(first, "v-1", "I think I need help with my temper.");
  expect_message(sam, s1, "visitor");

  // A second visitor waits: Sam's capacity is 1.
  ws_client& second = client("visitor 2");
  visitor_conversation two = connect_and_start(second, node.port());
  EXPECT_EQ(integer(two.first_queue, "position"), 1);
  for (const json::object& f : sam.sync()) {
    EXPECT_FALSE(is_type(f, "offer")) << "an advisor at capacity gets no offer: " << describe(f);
  }

  json::object ended = sam.request(json::object{{"type", "end"}, {"conversation_id", one.id}, {"ref", "end1"}});
  ASSERT_EQ(frame_type(ended), "ended") << describe(ended);
  EXPECT_EQ(str(ended, "by"), "advisor");
  json::object visitor_ended = first.recv_type("ended");
  EXPECT_EQ(str(visitor_ended, "by"), "advisor");

  json::object wrap_up{{"type", "wrap_up"},
                       {"conversation_id", one.id},
                       {"caller_type", "own_behaviour"},
                       {"outcome", "referred"},
                       {"referral_made", true},
                       {"referral_programme_type", "dapp"},
                       {"actions", json::array{"none"}},
                       {"notes", "Referred to a local programme."}};
  json::object missing_outcome = wrap_up;
  missing_outcome.erase("outcome");
  json::object error = expect_error(sam, missing_outcome, "bad_request");
  EXPECT_NE(str(error, "message").find("outcome"), std::string::npos) << "the message names the field";
  json::object no_actions = wrap_up;
  no_actions["actions"] = json::array{};
  expect_error(sam, no_actions, "bad_request");
  json::object bad_outcome = wrap_up;
  bad_outcome["outcome"] = "sorted";
  expect_error(sam, bad_outcome, "bad_request");

  wrap_up["ref"] = "w1";
  json::object wrapped = sam.request(wrap_up);
  ASSERT_EQ(frame_type(wrapped), "wrapped_up") << describe(wrapped);
  EXPECT_EQ(str(wrapped, "conversation_id"), one.id);
  wrap_up["ref"] = "w2";
  EXPECT_TRUE(is_error(sam.request(wrap_up), "wrong_state")) << "a closed conversation has no second wrap-up";

  // Sam is free again: the waiting visitor is offered and accepted.
  take_offer(sam, two.id);
  json::object joined = second.recv_type("advisor_joined");
  EXPECT_EQ(str(obj(joined, "advisor"), "name"), "Sam");

  // The ended conversation's token no longer resumes.
  ws_client& reload = client("visitor 1 after reload");
  json::object welcome = visitor_hello(reload, node.port(), one.resume_token, s1);
  EXPECT_EQ(str(welcome, "resume"), "expired") << describe(welcome);
}

}  // namespace
}  // namespace integration

namespace integration {
namespace {

using namespace test_support;

class wrap_up_gate : public helpline_test {};

TEST_F(wrap_up_gate, no_new_contact_until_the_wrap_up_is_done_even_with_capacity_left) {
  helpline_process& node = start_node({}, {sam_advisor(2)});
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);
  set_presence(sam, "available");
  ws_client& first = client("visitor 1");
  visitor_conversation one = connect_and_start(first, node.port());
  take_offer(sam, one.id);
  first.request(json::object{{"type", "end"}, {"ref", "bye"}});  // the visitor leaves: wrap-up due

  ws_client& second = client("visitor 2");
  visitor_conversation two = connect_and_start(second, node.port());
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // several router ticks (100 ms)
  for (const json::object& f : sam.sync()) {
    EXPECT_FALSE(is_type(f, "offer")) << "an offer before the wrap-up: " << describe(f);
  }
  // Said for what it is (the wrap-up is due), as documented, not as a stale offer.
  expect_error(sam, json::object{{"type", "accept"}, {"conversation_id", two.id}}, "wrong_state");

  json::object wrapped = sam.request(json::object{
      {"type", "wrap_up"}, {"conversation_id", one.id}, {"caller_type", "own_behaviour"},
      {"outcome", "disconnected"}, {"referral_made", false}, {"actions", json::array{"none"}}, {"ref", "w"}});
  ASSERT_EQ(frame_type(wrapped), "wrapped_up") << describe(wrapped);
  take_offer(sam, two.id);
}

}  // namespace
}  // namespace integration
