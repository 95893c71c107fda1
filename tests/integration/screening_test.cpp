// Screening as the advisor meets it: flags carry the reason in words, where they came from and
// their evidence, and a disclosure completed over two messages is flagged on the second one with
// evidence pointing back at the first (the conversation's screening context lives in Redis, so it
// survives the visitor reconnecting to another node).
#include <gtest/gtest.h>

#include "conversation_steps.hpp"
#include "helpline_fixture.hpp"
#include "json_frames.hpp"

namespace integration {
namespace {

using namespace test_support;

class screening : public helpline_test {};

const json::object* flag_of(const json::object& message, const std::string& category) {
  const auto* flags = message.if_contains("flags");
  if (!flags || !flags->is_array()) return nullptr;
  for (const auto& f : flags->as_array()) {
    if (f.is_object() && str(f.as_object(), "category") == category) return &f.as_object();
  }
  return nullptr;
}

TEST_F(screening, a_disclosure_split_over_two_messages_is_flagged_with_evidence_from_both) {
  helpline_process& node = start_node({}, {sam_advisor()});
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);
  set_presence(sam, "available");
  ws_client& visitor = client("visitor");
  const visitor_conversation c = connect_and_start(visitor, node.port());
  take_offer(sam, c.id);

  const std::int64_t first = visitor_says(visitor, "v-1", "ive got the hammer from the shed in my coat");
  json::object seen_first = expect_message(sam, first, "visitor");
  EXPECT_EQ(flag_of(seen_first, "imminent_danger"), nullptr) << "a hammer carried alone is not imminent: " << describe(seen_first);

  const std::int64_t second = visitor_says(visitor, "v-2", "her flat is 5 minutes away, leaving now");
  json::object seen = expect_message(sam, second, "visitor");
  const json::object* imminent = flag_of(seen, "imminent_danger");
  ASSERT_NE(imminent, nullptr) << "the second message completes the frame: " << describe(seen);
  EXPECT_EQ(str(*imminent, "source"), "frame");
  EXPECT_FALSE(str(*imminent, "reason").empty());
  EXPECT_NE(str(*imminent, "rule").find("frames/"), std::string::npos) << "the audit rule names the frame file";
  bool from_earlier = false, from_this = false;
  for (const auto& e : field(*imminent, "evidence").as_array()) {
    const auto& ev = e.as_object();
    if (ev.contains("message_back")) {
      from_earlier = true;
      EXPECT_EQ(integer(ev, "message_back"), 1);
      EXPECT_FALSE(ev.contains("match")) << "no text from an earlier message is repeated";
    } else {
      from_this = true;
      const std::string text = "her flat is 5 minutes away, leaving now";
      EXPECT_EQ(str(ev, "match"), text.substr(static_cast<std::size_t>(integer(ev, "start")),
                                               static_cast<std::size_t>(integer(ev, "end") - integer(ev, "start"))));
    }
  }
  EXPECT_TRUE(from_earlier && from_this) << describe(seen);
  EXPECT_NE(flag_of(seen, "weapon"), nullptr) << "the hammer carried to her is a weapon: " << describe(seen);

  // The conversation is now imminent: its advisor is told at once.
  json::object risk = sam.recv_match(
      [&](const json::object& f) { return is_type(f, "risk") && str(f, "level") == "imminent"; },
      "risk raised to imminent", std::chrono::seconds(10));
  EXPECT_EQ(str(risk, "conversation_id"), c.id);
}

}  // namespace
}  // namespace integration
