// Callbacks are never lost: one requested before a Redis restart and a server restart is listed,
// claimed by one advisor only, and completed with an outcome. Out of hours the line says it is
// closed and a callback can still be requested.
#include <gtest/gtest.h>

#include <ctime>
#include <string>
#include <utility>

#include "app/keys.hpp"
#include "conversation_steps.hpp"
#include "helpline_fixture.hpp"
#include "json_frames.hpp"
#include "redis/blocking_connection.hpp"

namespace integration {
namespace {

using namespace test_support;

class callbacks : public helpline_test {};

json::object callback_request(const std::string& ref) {
  return json::object{
      {"type", "callback_request"},
      {"ref", ref},
      {"phone", "07700 900123"},
      {"lang", "en"},
      {"caller_type", "own_behaviour"},
      // Any day, all day: due within the next 24 hours whenever the test runs.
      {"safe_times", json::array{json::object{{"day", "any"}, {"from", "00:00"}, {"to", "23:59"}}}},
      {"may_leave_message", false},
      {"may_say_who_is_calling", false},
      {"note", "Evenings are best."}};
}

void check_requested(const json::object& reply) {
  ASSERT_EQ(frame_type(reply), "callback_requested") << describe(reply);
  EXPECT_FALSE(str(reply, "callback_id").empty());
  EXPECT_EQ(str(reply, "phone_last_digits"), "123");
  EXPECT_FALSE(boolean(reply, "may_leave_message"));
  EXPECT_FALSE(boolean(reply, "may_say_who_is_calling"));
  EXPECT_EQ(arr(reply, "safe_times").size(), 1u);
  EXPECT_GT(integer(reply, "due_at"), 0);
  EXPECT_FALSE(reply.contains("phone")) << "the number is not echoed back in full";
}

// `callback_claim` and `callback_outcome` reply "callback (the record)": the record is either the
// frame's "callback" object or the frame itself.
json::object callback_record(const json::object& reply) {
  if (reply.contains("callback") && reply.at("callback").is_object()) return reply.at("callback").as_object();
  return reply;
}

TEST_F(callbacks, callback_survives_redis_and_server_restarts_and_is_claimed_once) {
  helpline_process& node = start_node({}, {sam_advisor(), priya_advisor()});
  ws_client& visitor = client("visitor");
  visitor_hello(visitor, node.port());
  json::object requested = visitor.request(callback_request("cb1"));
  check_requested(requested);
  if (HasFailure()) return;
  std::string id = str(requested, "callback_id");
  std::int64_t due_at = integer(requested, "due_at");
  visitor.close();

  // Redis restarts under the running server (which must reconnect), then the server restarts.
  redis().restart();
  node.wait_ready();
  node.restart();

  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);
  json::object list = sam.request(json::object{{"type", "callbacks"}, {"ref", "list"}});
  ASSERT_EQ(frame_type(list), "callbacks") << describe(list);
  std::optional<json::object> listed;
  for (const json::object& cb : objects(list, "callbacks")) {
    if (str(cb, "id") == id) listed = cb;
  }
  ASSERT_TRUE(listed.has_value()) << "the callback is listed after both restarts: " << describe(list);
  EXPECT_EQ(digits_of(str(*listed, "phone")), "07700900123") << "advisors see the number to call";
  EXPECT_EQ(str(*listed, "state"), "pending");
  EXPECT_EQ(integer(*listed, "due_at"), due_at);
  EXPECT_FALSE(boolean(*listed, "may_leave_message"));
  EXPECT_FALSE(boolean(*listed, "may_say_who_is_calling"));
  EXPECT_EQ(str(*listed, "note"), "Evenings are best.");
  EXPECT_EQ(str(*listed, "caller_type"), "own_behaviour");

  json::object claimed = sam.request(json::object{{"type", "callback_claim"}, {"callback_id", id}, {"ref", "c1"}});
  ASSERT_EQ(frame_type(claimed), "callback") << describe(claimed);
  json::object record = callback_record(claimed);
  EXPECT_EQ(str(record, "id"), id);
  EXPECT_EQ(str(record, "state"), "claimed");
  EXPECT_EQ(str(record, "claimed_by"), "sam");

  ws_client& priya = client("advisor priya");
  login(priya, node.port(), "priya", priya_advisor().password);
  expect_error(priya, json::object{{"type", "callback_claim"}, {"callback_id", id}}, "conflict");

  json::object done = sam.request(json::object{{"type", "callback_outcome"},
                                               {"callback_id", id},
                                               {"outcome", "reached"},
                                               {"notes", "Talked it through; sent programme details."},
                                               {"ref", "o1"}});
  ASSERT_EQ(frame_type(done), "callback") << describe(done);
  record = callback_record(done);
  EXPECT_EQ(str(record, "state"), "done");
  std::vector<json::object> attempts = objects(record, "attempts");
  ASSERT_EQ(attempts.size(), 1u);
  EXPECT_EQ(str(attempts[0], "outcome"), "reached");
  EXPECT_EQ(str(attempts[0], "by"), "sam");
  EXPECT_GT(integer(attempts[0], "at"), 0);

  // A completed callback cannot be claimed again.
  json::object again = priya.request(json::object{{"type", "callback_claim"}, {"callback_id", id}, {"ref", "c2"}});
  EXPECT_EQ(frame_type(again), "error") << describe(again);
}

std::string two_digits(int n) { return (n < 10 ? "0" : "") + std::to_string(n); }

// One hour a day, starting `hours_ahead` hours after the current UTC hour (London is UTC or UTC+1,
// so a window 6 hours ahead is closed now whatever the season), as "HH:MM" strings.
std::pair<std::string, std::string> hour_window(int hours_ahead) {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  const int start = (utc.tm_hour + hours_ahead) % 24;
  return {two_digits(start) + ":00", start == 23 ? "23:59" : two_digits(start + 1) + ":00"};
}

TEST_F(callbacks, out_of_hours_the_line_is_closed_and_a_callback_can_be_requested) {
  helpline_options closed;
  closed.always_open = false;
  const auto [open_from, open_to] = hour_window(6);  // open one hour a day, not now
  for (const char* day : {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}) {
    closed.weekly[day] = json::array{json::array{json::value(open_from), json::value(open_to)}};
  }
  helpline_process& node = start_node(closed, {sam_advisor()});

  ws_client& visitor = client("visitor");
  json::object welcome = visitor_hello(visitor, node.port());
  EXPECT_FALSE(boolean(welcome, "open"));
  EXPECT_FALSE(boolean(obj(welcome, "hours"), "open_now"));

  json::object refused = expect_error(
      visitor, json::object{{"type", "start"}, {"caller_type", "own_behaviour"}, {"lang", "en"}}, "line_closed");
  EXPECT_FALSE(str(refused, "message").empty());

  json::object requested = visitor.request(callback_request("cb1"));
  check_requested(requested);
  if (HasFailure()) return;

  // Stored and visible to an advisor.
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);
  json::object list = sam.request(json::object{{"type", "callbacks"}, {"ref", "list"}});
  bool listed = false;
  for (const json::object& cb : objects(list, "callbacks")) {
    if (str(cb, "id") == str(requested, "callback_id")) listed = true;
  }
  EXPECT_TRUE(listed) << describe(list);

  // The call is promised inside the opening hour, never at a time nobody works.
  const std::int64_t due_at = integer(requested, "due_at");
  EXPECT_GT(due_at, static_cast<std::int64_t>(std::time(nullptr)) * 1000 + 3 * 3600 * 1000) << "not now, the line is closed";

  // Safe times that never meet an opening hour: refused with a reason, nothing stored.
  const auto [safe_from, safe_to] = hour_window(9);
  json::object never = callback_request("cb2");
  never["safe_times"] = json::array{json::object{{"day", "any"}, {"from", safe_from}, {"to", safe_to}}};
  json::object outside = expect_error(visitor, never, "outside_hours");
  EXPECT_NE(str(outside, "message").find("opening hours"), std::string::npos);

  // The connection is still usable after the refusals.
  visitor.sync();
}

TEST_F(callbacks, the_visitor_can_take_a_request_back_from_the_confirmation) {
  helpline_process& node = start_node({}, {sam_advisor()});
  ws_client& visitor = client("visitor");
  visitor_hello(visitor, node.port());
  json::object first = visitor.request(callback_request("cb1"));
  json::object second = visitor.request(callback_request("cb2"));
  const std::string first_id = str(first, "callback_id");
  const std::string second_id = str(second, "callback_id");

  // Someone else who learnt the id cannot cancel it: only the connection that asked.
  ws_client& stranger = client("another visitor");
  visitor_hello(stranger, node.port());
  expect_error(stranger, json::object{{"type", "callback_cancel"}, {"callback_id", first_id}}, "not_found");

  json::object cancelled = visitor.request(json::object{{"type", "callback_cancel"}, {"callback_id", first_id}, {"ref", "x1"}});
  ASSERT_EQ(frame_type(cancelled), "callback_cancelled") << describe(cancelled);
  EXPECT_EQ(str(cancelled, "callback_id"), first_id);

  // Gone from the advisors' list, and the number is not kept for a call nobody will make.
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);
  json::object list = sam.request(json::object{{"type", "callbacks"}, {"ref", "list"}});
  std::vector<std::string> listed;
  for (const json::object& cb : objects(list, "callbacks")) listed.push_back(str(cb, "id"));
  EXPECT_EQ(listed, std::vector<std::string>{second_id}) << describe(list);
  helpline::redis::options options;
  options.host = "127.0.0.1";
  options.port = redis().port();
  auto direct = helpline::redis::blocking_connection::connect(options);
  EXPECT_TRUE(direct.command({"HGET", helpline::keys::callback(first_id), "phone"}).is_nil());
  EXPECT_EQ(direct.command({"HGET", helpline::keys::callback(first_id), "state"}).str, "cancelled");

  // Once an advisor has claimed it (they may be dialling), it can no longer be taken back here.
  sam.request(json::object{{"type", "callback_claim"}, {"callback_id", second_id}, {"ref", "c1"}});
  json::object refused = expect_error(visitor, json::object{{"type", "callback_cancel"}, {"callback_id", second_id}}, "conflict");
  EXPECT_NE(str(refused, "message").find("already calling"), std::string::npos);
}

}  // namespace
}  // namespace integration
