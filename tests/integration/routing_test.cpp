// Routing: an offer that times out or is declined moves on to the next advisor and keeps its
// place at the front; the queue is ordered by risk; an imminent disclosure alerts supervisors.
#include <gtest/gtest.h>

#include "conversation_steps.hpp"
#include "helpline_fixture.hpp"
#include "json_frames.hpp"

namespace integration {
namespace {

using namespace test_support;

class routing : public helpline_test {};

bool withdrawn(const json::object& f, const std::string& id, const std::string& reason) {
  return is_type(f, "offer_withdrawn") && has(f, "conversation_id") && str(f, "conversation_id") == id &&
         has(f, "reason") && str(f, "reason") == reason;
}

TEST_F(routing, offer_that_times_out_keeps_its_place_and_goes_to_the_next_advisor) {
  helpline_options options;
  options.offer_timeout_seconds = 2;
  helpline_process& node = start_node(options, {sam_advisor(1), priya_advisor(1)});
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);
  ws_client& priya = client("advisor priya");
  login(priya, node.port(), "priya", priya_advisor().password);
  set_presence(sam, "available");

  ws_client& first = client("visitor 1");
  visitor_conversation one = connect_and_start(first, node.port());
  expect_offer(sam, one.id);

  // Sam (capacity 1, the offer fills it) does not answer. A later visitor waits behind.
  ws_client& second = client("visitor 2");
  visitor_conversation two = connect_and_start(second, node.port());
  EXPECT_EQ(integer(two.first_queue, "position"), 2) << "the offered visitor is still ahead (offered shows as queued)";

  sam.recv_match([&](const json::object& f) { return withdrawn(f, one.id, "timeout"); },
                 "offer_withdrawn (timeout) of visitor 1");
  // Sam is the only advisor available, so the same visitor is offered again at once: a timed-out
  // offer keeps its place at the front rather than letting visitor 2 take the free advisor.
  json::object again = sam.recv_type("offer");
  EXPECT_EQ(str(obj(again, "conversation"), "id"), one.id) << "a timed-out offer keeps its place at the front";

  // Sam steps away: the offer is withdrawn at once, and Priya, coming online, gets visitor 1 first.
  set_presence(sam, "away");
  sam.recv_match([&](const json::object& f) { return withdrawn(f, one.id, "away"); },
                 "offer_withdrawn (away) of visitor 1");
  expect_error(sam, json::object{{"type", "accept"}, {"conversation_id", one.id}}, "conflict");
  set_presence(priya, "available");
  json::object offer = priya.recv_type("offer");
  EXPECT_EQ(str(obj(offer, "conversation"), "id"), one.id) << "a timed-out offer keeps its place at the front";
  accept(priya, one.id);
  EXPECT_EQ(str(obj(first.recv_type("advisor_joined"), "advisor"), "name"), "Priya");
  expect_queue_position(second, 1);
}

TEST_F(routing, declined_offer_goes_to_the_next_advisor) {
  helpline_process& node = start_node({}, {sam_advisor(), priya_advisor()});
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);
  ws_client& priya = client("advisor priya");
  login(priya, node.port(), "priya", priya_advisor().password);
  set_presence(sam, "available");

  ws_client& visitor = client("visitor");
  visitor_conversation c = connect_and_start(visitor, node.port());
  expect_offer(sam, c.id);
  set_presence(priya, "available");

  // The protocol names no reply for decline: the console learns the offer is gone from
  // offer_withdrawn (reason "declined") or a direct reply; an error is a failure.
  sam.send(json::object{{"type", "decline"}, {"conversation_id", c.id}, {"ref", "d1"}});
  json::object gone = sam.recv_match(
      [&](const json::object& f) {
        const json::value* ref = f.if_contains("ref");
        return withdrawn(f, c.id, "declined") || (ref != nullptr && *ref == "d1");
      },
      "reply to decline or offer_withdrawn (declined)");
  ASSERT_FALSE(is_type(gone, "error")) << describe(gone);
  take_offer(priya, c.id);
  EXPECT_EQ(str(obj(visitor.recv_type("advisor_joined"), "advisor"), "name"), "Priya");
  expect_error(sam, json::object{{"type", "accept"}, {"conversation_id", c.id}}, "conflict");
  for (const json::object& f : sam.sync()) {
    EXPECT_FALSE(is_type(f, "offer")) << "the declined conversation is not offered back: " << describe(f);
  }
}

TEST_F(routing, a_high_risk_disclosure_moves_a_visitor_ahead_of_earlier_low_risk_ones) {
  helpline_process& node = start_node({}, {sam_advisor()});
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);  // away: nothing is offered, all wait

  ws_client& a = client("visitor A (low risk)");
  visitor_conversation low = connect_and_start(a, node.port());
  EXPECT_EQ(integer(low.first_queue, "position"), 1);

  // B discloses strangulation in the free-text screening answer.
  ws_client& b = client("visitor B (free-text disclosure)");
  screening_policy disclose;
  disclose.free_text = "Last week I strangled her during an argument.";
  visitor_conversation high = connect_and_start(b, node.port(), "own_behaviour", disclose);
  bool asked_free_text = false;
  for (const json::object& q : high.questions) asked_free_text |= str(q, "kind") == "free_text";
  ASSERT_TRUE(asked_free_text) << "the own_behaviour screening has a free-text question";
  EXPECT_EQ(integer(high.first_queue, "position"), 1) << "high risk goes ahead of an earlier low-risk visitor";
  expect_queue_position(a, 2);

  // C queues as low risk, then discloses in a message while waiting.
  ws_client& c = client("visitor C (message disclosure)");
  visitor_conversation later = connect_and_start(c, node.port());
  EXPECT_EQ(integer(later.first_queue, "position"), 3);
  visitor_says(c, "c-1", "I choked him last night.");
  expect_queue_position(c, 2);
  expect_queue_position(a, 3);

  json::object queue = sam.request(json::object{{"type", "queue"}, {"ref", "q1"}});
  ASSERT_EQ(frame_type(queue), "queue") << describe(queue);
  std::vector<json::object> entries = objects(queue, "entries");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(str(entries[0], "id"), high.id);
  EXPECT_EQ(str(entries[1], "id"), later.id);
  EXPECT_EQ(str(entries[2], "id"), low.id);
  EXPECT_EQ(str(entries[0], "level"), "high");
  std::vector<std::string> categories = strings(entries[0], "categories");
  EXPECT_NE(std::find(categories.begin(), categories.end(), "strangulation"), categories.end());
  EXPECT_EQ(str(entries[1], "level"), "high");
  EXPECT_EQ(str(entries[2], "level"), "none");
  for (const json::object& f : a.received("queue")) EXPECT_FALSE(f.contains("level")) << "visitors never see risk";
}

TEST_F(routing, imminent_danger_alerts_every_supervisor_and_jumps_the_queue) {
  helpline_process& node = start_node({}, {sam_advisor(), sue_supervisor()});
  ws_client& sue = client("supervisor sue");
  login(sue, node.port(), "sue", sue_supervisor().password);  // away: alerts reach supervisors anyway
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);

  ws_client& waiting = client("visitor (waiting)");
  visitor_conversation low = connect_and_start(waiting, node.port());

  // "Is anyone in danger right now?" -> yes.
  ws_client& danger = client("visitor (danger now)");
  screening_policy yes;
  yes.answers["danger_now"] = "yes";
  visitor_conversation urgent = connect_and_start(danger, node.port(), "own_behaviour", yes);
  EXPECT_EQ(integer(urgent.first_queue, "position"), 1) << "imminent goes first";
  expect_queue_position(waiting, 2);

  json::object alert = sue.recv_match(
      [&](const json::object& f) { return is_type(f, "alert") && has(f, "conversation_id") && str(f, "conversation_id") == urgent.id; },
      "alert for the danger-now conversation");
  EXPECT_EQ(str(alert, "level"), "imminent");
  std::vector<std::string> categories = strings(alert, "categories");
  EXPECT_NE(std::find(categories.begin(), categories.end(), "imminent_danger"), categories.end());
  EXPECT_GT(integer(alert, "ts"), 0);
  for (const json::object& f : sam.sync()) {
    EXPECT_FALSE(is_type(f, "alert")) << "alerts go to supervisors, not advisors: " << describe(f);
  }

  // Sam takes the urgent one first; a later imminent message in the low-risk conversation alerts
  // the supervisor again and raises its level for its advisor.
  set_presence(sam, "available");
  take_offer(sam, urgent.id);
  take_offer(sam, low.id);
  visitor_says(waiting, "w-1", "I'm going to kill her tonight when she gets home.");
  json::object risk = sam.recv_match(
      [&](const json::object& f) { return is_type(f, "risk") && str(f, "conversation_id") == low.id; },
      "risk event for the second conversation");
  EXPECT_EQ(str(risk, "level"), "imminent");
  json::object second_alert = sue.recv_match(
      [&](const json::object& f) { return is_type(f, "alert") && has(f, "conversation_id") && str(f, "conversation_id") == low.id; },
      "alert for the message disclosure");
  EXPECT_EQ(str(second_alert, "level"), "imminent");
  EXPECT_EQ(str(obj(second_alert, "advisor"), "id"), "sam");
}

}  // namespace
}  // namespace integration
