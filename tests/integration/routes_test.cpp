// The advisor endpoint's route table is the one place roles are enforced and features come from:
// every type it routes above a role is refused to that role with `forbidden`, every type is
// refused before login with `not_authenticated`, and `logged_in.features` is exactly what the
// table allows each role (docs/protocol.md, "Errors" and "Features").
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "app/advisor_routes.hpp"
#include "conversation_steps.hpp"
#include "helpline_fixture.hpp"
#include "json_frames.hpp"

namespace integration {
namespace {

using namespace test_support;
using helpline::advisor_access;
using helpline::advisor_routes;

std::set<std::string> features(const json::object& logged_in) {
  std::set<std::string> out;
  for (const auto& f : field(logged_in, "features").as_array()) out.insert(std::string(f.as_string()));
  return out;
}

std::set<std::string> table_features(helpline::role r) {
  std::set<std::string> out;
  for (const auto& f : helpline::advisor_features(r)) out.insert(std::string(f.as_string()));
  return out;
}

// WebSocket types (not HTTP-only features) whose least access lies in [from, up_to].
std::vector<std::string> routed(advisor_access from, advisor_access up_to) {
  std::vector<std::string> out;
  for (const auto& type : advisor_routes().allowed(from, up_to)) {
    if (advisor_routes().find(type)) out.push_back(type);
  }
  return out;
}

class routes : public helpline_test {
 protected:
  helpline_process& start() {
    helpline_options options;
    // One request per routed type, quickly: above the default flood limit.
    options.overrides = json::object{{"server", json::object{{"messages_per_second", 200}, {"burst", 200}}}};
    return start_node(options, {sam_advisor(), sue_supervisor(), ada_admin()});
  }
};

TEST_F(routes, a_type_above_the_role_is_forbidden_and_every_type_needs_a_login) {
  helpline_process& node = start();

  // Before login: every routed type but login and ping is refused, fields unread.
  ws_client& anonymous = client("anonymous");
  anonymous.connect(node.port(), "/ws/advisor");
  const auto all = routed(advisor_access::advisor, advisor_access::admin);
  ASSERT_GE(all.size(), 30u) << "the table lost routes";
  for (const auto& type : all) {
    SCOPED_TRACE(type);
    expect_error(anonymous, json::object{{"type", type}}, "not_authenticated");
  }
  expect_error(anonymous, json::object{{"type", "frobnicate"}}, "unknown_type");

  // An advisor: every supervisor and admin type is forbidden, before any field is checked.
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);
  const auto above_advisor = routed(advisor_access::supervisor, advisor_access::admin);
  for (const char* expected : {"join", "take_over", "plan_confirm", "stats", "users", "hours_set", "content_reload"}) {
    EXPECT_NE(std::find(above_advisor.begin(), above_advisor.end(), expected), above_advisor.end()) << expected;
  }
  for (const auto& type : above_advisor) {
    SCOPED_TRACE(type);
    expect_error(sam, json::object{{"type", type}, {"conversation_id", "c_none"}}, "forbidden");
  }
  // The programme directory is an HTTP API, not a WebSocket request.
  expect_error(sam, json::object{{"type", "directory"}}, "unknown_type");
  expect_error(sam, json::object{{"type", "frobnicate"}}, "unknown_type");

  // A supervisor: the admin types are forbidden, the supervisor's are not.
  ws_client& sue = client("supervisor sue");
  login(sue, node.port(), "sue", sue_supervisor().password);
  for (const auto& type : routed(advisor_access::admin, advisor_access::admin)) {
    SCOPED_TRACE(type);
    expect_error(sue, json::object{{"type", type}}, "forbidden");
  }
  json::object stats = sue.request(json::object{{"type", "stats"}, {"ref", next_ref()}});
  EXPECT_EQ(frame_type(stats), "stats") << describe(stats);

  EXPECT_TRUE(sam.is_open());
  EXPECT_TRUE(sue.is_open());
}

TEST_F(routes, logged_in_features_are_what_the_route_table_allows_each_role) {
  helpline_process& node = start();
  ws_client& sam = client("advisor sam");
  ws_client& sue = client("supervisor sue");
  ws_client& ada = client("admin ada");
  const auto sam_has = features(login(sam, node.port(), "sam", sam_advisor().password));
  const auto sue_has = features(login(sue, node.port(), "sue", sue_supervisor().password));
  const auto ada_has = features(login(ada, node.port(), "ada", ada_admin().password));

  EXPECT_EQ(sam_has, table_features(helpline::role::advisor));
  EXPECT_EQ(sue_has, table_features(helpline::role::supervisor));
  EXPECT_EQ(ada_has, table_features(helpline::role::admin));

  // And what the table says, spelled out (docs/protocol.md, "Features").
  for (const char* f : {"content", "programmes", "plan", "disclosure_record", "advisors", "callbacks", "accept"}) {
    EXPECT_TRUE(sam_has.count(f)) << f;
  }
  for (const char* f : {"plan_confirm", "stats", "join", "take_over", "users", "directory", "login", "ping"}) {
    EXPECT_FALSE(sam_has.count(f)) << f;
  }
  for (const char* f : {"plan_confirm", "stats", "join", "take_over", "content"}) EXPECT_TRUE(sue_has.count(f)) << f;
  for (const char* f : {"users", "user_add", "hours_set", "content_reload", "directory"}) {
    EXPECT_FALSE(sue_has.count(f)) << f;
    EXPECT_TRUE(ada_has.count(f)) << f;
  }
  // Each role has what the one below has.
  for (const auto& f : sam_has) EXPECT_TRUE(sue_has.count(f)) << f;
  for (const auto& f : sue_has) EXPECT_TRUE(ada_has.count(f)) << f;
}

}  // namespace
}  // namespace integration
