// A visitor starts, answers the screening and waits in the queue; an advisor gets the offer,
// accepts, and both write to each other with every message acknowledged and numbered.
#include <gtest/gtest.h>

#include "conversation_steps.hpp"
#include "helpline_fixture.hpp"
#include "json_frames.hpp"

namespace integration {
namespace {

using namespace test_support;

class chat_flow : public helpline_test {};

TEST_F(chat_flow, start_runs_the_screening_then_reports_the_queue_position) {
  helpline_process& node = start_node();

  ws_client& first = client("visitor 1");
  json::object welcome = visitor_hello(first, node.port());
  EXPECT_TRUE(boolean(welcome, "open"));
  EXPECT_TRUE(boolean(obj(welcome, "hours"), "open_now"));
  EXPECT_EQ(str(obj(welcome, "hours"), "timezone"), "Europe/London");
  std::vector<std::string> languages = strings(welcome, "languages");
  EXPECT_NE(std::find(languages.begin(), languages.end(), "en"), languages.end());
  EXPECT_FALSE(has(welcome, "resume")) << "no token was sent, so no resume result: " << describe(welcome);

  visitor_conversation one = start_conversation(first);
  EXPECT_FALSE(one.id.empty());
  EXPECT_FALSE(one.resume_token.empty());
  EXPECT_TRUE(field(one.started, "services").is_array()) << describe(one.started);
  ASSERT_FALSE(one.questions.empty()) << "own_behaviour screening asked no question";
  // The first question is the one about immediate danger: a choice the visitor can answer at once.
  EXPECT_EQ(str(one.questions.front(), "kind"), "choice");
  for (const json::object& q : one.questions) {
    EXPECT_FALSE(str(q, "text").empty()) << describe(q);
  }
  // Nobody online: first in line, no estimate (the widget offers a callback instead).
  EXPECT_EQ(integer(one.first_queue, "position"), 1);
  EXPECT_EQ(integer(one.first_queue, "advisors_online"), 0);
  EXPECT_TRUE(field(one.first_queue, "estimated_wait_seconds").is_null()) << describe(one.first_queue);

  ws_client& second = client("visitor 2");
  visitor_conversation two = connect_and_start(second, node.port());
  EXPECT_NE(two.id, one.id);
  EXPECT_EQ(integer(two.first_queue, "position"), 2);

  // The first visitor's widget reloads: the queue place is still there.
  ws_client& again = client("visitor 1 after reload");
  json::object resumed = visitor_hello(again, node.port(), one.resume_token, 0);
  EXPECT_EQ(str(resumed, "resume"), "ok");
  const json::object& conversation = obj(resumed, "conversation");
  EXPECT_EQ(str(conversation, "id"), one.id);
  EXPECT_EQ(str(conversation, "state"), "queued");
  EXPECT_EQ(integer(obj(conversation, "queue"), "position"), 1);

  // Someone experiencing abuse is pointed to the right services at once.
  ws_client& third = client("visitor 3 (experiencing abuse)");
  visitor_hello(third, node.port());
  json::object started = third.request(
      json::object{{"type", "start"}, {"caller_type", "experiencing_abuse"}, {"lang", "en"}, {"ref", "s3"}});
  ASSERT_EQ(frame_type(started), "started") << describe(started);
  std::vector<json::object> services = objects(started, "services");
  ASSERT_FALSE(services.empty());
  EXPECT_FALSE(str(services.front(), "name").empty());
  EXPECT_FALSE(str(services.front(), "phone").empty());
}

TEST_F(chat_flow, offer_accept_and_messages_both_ways_are_acked_and_numbered) {
  helpline_process& node = start_node({}, {sam_advisor()});

  ws_client& sam = client("advisor sam");
  json::object logged_in = login(sam, node.port(), "sam", sam_advisor().password);
  EXPECT_EQ(str(logged_in, "presence"), "away") << "a password login starts away";
  EXPECT_EQ(str(obj(logged_in, "advisor"), "name"), "Sam");
  EXPECT_EQ(str(obj(logged_in, "advisor"), "role"), "advisor");
  EXPECT_FALSE(str(logged_in, "emergency_guidance").empty());
  set_presence(sam, "available");

  ws_client& visitor = client("visitor");
  visitor_conversation c = connect_and_start(visitor, node.port());

  json::object offer = expect_offer(sam, c.id);
  const json::object& offered = obj(offer, "conversation");
  EXPECT_EQ(str(offered, "caller_type"), "own_behaviour");
  EXPECT_EQ(str(offered, "lang"), "en");
  EXPECT_GT(integer(offer, "expires_in"), 0);
  // The screening answers travel with the offer, so the visitor never repeats themselves.
  std::vector<json::object> answers = objects(offered, "answers");
  ASSERT_EQ(answers.size(), c.questions.size());
  for (std::size_t i = 0; i < answers.size(); ++i) {
    EXPECT_EQ(str(answers[i], "question_id"), str(c.questions[i], "id"));
    EXPECT_EQ(str(answers[i], "value"), c.answers[i]);
  }

  // What the visitor writes while waiting is there for the advisor.
  std::int64_t waiting_seq = visitor_says(visitor, "v-wait", "Is anyone there?");
  expect_message(visitor, waiting_seq, "visitor", "Is anyone there?");

  json::object conversation = accept(sam, c.id);
  EXPECT_EQ(str(obj(conversation, "advisor"), "id"), "sam");
  EXPECT_EQ(integer(conversation, "last_seq"), waiting_seq);
  bool found_waiting = false;
  for (const json::object& m : objects(conversation, "messages")) {
    if (integer(m, "seq") == waiting_seq) {
      found_waiting = true;
      EXPECT_EQ(str(m, "text"), "Is anyone there?");
      EXPECT_EQ(str(m, "from"), "visitor");
    }
  }
  EXPECT_TRUE(found_waiting) << describe(conversation);
  json::object joined = visitor.recv_type("advisor_joined");
  EXPECT_EQ(str(obj(joined, "advisor"), "name"), "Sam");

  std::int64_t last = waiting_seq;
  for (int round = 1; round <= 3; ++round) {
    std::string vtext = "Visitor line " + std::to_string(round);
    std::int64_t vseq = visitor_says(visitor, "v-" + std::to_string(round), vtext);
    EXPECT_EQ(vseq, last + 1) << "seq must have no gaps";
    json::object own = expect_message(visitor, vseq, "visitor", vtext);
    EXPECT_EQ(str(own, "client_id"), "v-" + std::to_string(round));
    json::object seen = expect_message(sam, vseq, "visitor", vtext);
    EXPECT_EQ(str(seen, "conversation_id"), c.id);

    std::string atext = "Advisor line " + std::to_string(round);
    std::int64_t aseq = advisor_says(sam, c.id, "a-" + std::to_string(round), atext);
    EXPECT_EQ(aseq, vseq + 1) << "seq must have no gaps";
    json::object echoed = expect_message(sam, aseq, "advisor", atext);
    EXPECT_EQ(str(echoed, "name"), "Sam");
    json::object got = expect_message(visitor, aseq, "advisor", atext);
    EXPECT_EQ(str(got, "name"), "Sam");
    EXPECT_FALSE(got.contains("flags")) << "visitors never see risk flags";
    last = aseq;
  }

  // Stored: the whole conversation, numbered 1..last without gaps, each message once.
  std::vector<json::object> stored = history(sam, c.id, 0);
  ASSERT_EQ(static_cast<std::int64_t>(stored.size()), last);
  for (std::size_t i = 0; i < stored.size(); ++i) EXPECT_EQ(integer(stored[i], "seq"), static_cast<std::int64_t>(i + 1));
  for (const json::object& f : visitor.received("message")) {
    EXPECT_FALSE(f.contains("flags")) << "visitors never see risk flags: " << describe(f);
    EXPECT_FALSE(f.contains("cues")) << describe(f);
  }
}

}  // namespace
}  // namespace integration

namespace integration {
namespace {

using namespace test_support;

class languages : public helpline_test {};

// Screening has phrases for en, es and pl. A visitor writing in another language is screened
// with the default language's phrases only, so the advisor is told not to rely on the flags.
TEST_F(languages, a_language_without_screening_is_flagged_to_the_advisor) {
  helpline_process& node = start_node({}, {sam_advisor()});
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);
  set_presence(sam, "available");

  ws_client& arabic = client("visitor (ar)");
  screening_policy in_arabic;
  in_arabic.lang = "ar";
  const std::string id = connect_and_start(arabic, node.port(), "own_behaviour", in_arabic).id;
  json::object offer = sam.recv_match(
      [&](const json::object& f) {
        return is_type(f, "offer") && str(obj(f, "conversation"), "id") == id;
      },
      "offer of the Arabic conversation", std::chrono::seconds(30));
  const json::object& c = obj(offer, "conversation");
  EXPECT_TRUE(boolean(c, "screening_unavailable")) << describe(offer);
  EXPECT_EQ(str(c, "visitor_lang"), "ar");
  EXPECT_EQ(str(c, "lang"), "en") << "screened with the default language's phrases";

  ws_client& english = client("visitor (en)");
  const std::string other = connect_and_start(english, node.port()).id;
  json::object queue = sam.request(json::object{{"type", "queue"}, {"ref", "q"}});
  int seen = 0;
  for (const auto& e : field(queue, "entries").as_array()) {
    if (str(e.as_object(), "id") == other) {
      ++seen;
      EXPECT_FALSE(boolean(e.as_object(), "screening_unavailable")) << "an English visitor is screened";
    }
    if (str(e.as_object(), "id") == id) {
      EXPECT_TRUE(boolean(e.as_object(), "screening_unavailable"));
    }
  }
  EXPECT_EQ(seen, 1) << describe(queue);
}

}  // namespace
}  // namespace integration
