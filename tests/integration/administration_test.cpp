// Administrators change opening hours and the programme directory without a restart, on every
// node; supervisors take a conversation over.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>
#include <sstream>

#include "conversation_steps.hpp"
#include "helpline_fixture.hpp"
#include "json_frames.hpp"

namespace integration {
namespace {

using namespace test_support;

class administration : public helpline_test {};

TEST_F(administration, opening_hours_changed_in_the_console_apply_on_every_node_and_survive_restarts) {
  helpline_process& a = start_node({}, {ada_admin()});
  helpline_options b_options;
  b_options.node_id = "node-b";
  helpline_process& b = start_node(b_options);
  ws_client& ada = client("admin ada");
  login(ada, a.port(), "ada", ada_admin().password);

  json::object bad{{"type", "hours_set"},
                   {"hours", json::object{{"timezone", "Europe/London"}, {"weekly", json::object{{"mon", json::array{json::array{"9am", "5pm"}}}}}}}};
  json::object error = expect_error(ada, bad, "bad_request");
  EXPECT_NE(str(error, "message").find("hours.weekly.mon"), std::string::npos) << describe(error);
  expect_error(ada, json::object{{"type", "hours_set"}, {"hours", json::object{{"timezone", "Mars/Olympus"}}}},
               "bad_request");

  // Closed every day from now on (no weekly ranges, not always open).
  json::object closed = ada.request(json::object{
      {"type", "hours_set"}, {"ref", "h"},
      {"hours", json::object{{"timezone", "Europe/London"}, {"always_open", false}, {"weekly", json::object{}},
                             {"closures", json::array{json::object{{"date", "2026-12-25"}, {"reason", "Christmas Day"}}}}}}});
  ASSERT_EQ(frame_type(closed), "hours") << describe(closed);
  EXPECT_FALSE(boolean(obj(closed, "status"), "open_now"));
  EXPECT_EQ(str(field(obj(closed, "hours"), "closures").as_array().at(0).as_object(), "reason"), "Christmas Day");

  auto welcome_open = [&](helpline_process& node) {
    for (int i = 0; i < 50; ++i) {
      ws_client& v = client("visitor " + node.node_id() + " " + std::to_string(i));
      bool open = boolean(visitor_hello(v, node.port()), "open");
      v.close();
      if (!open) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return true;
  };
  EXPECT_FALSE(welcome_open(a)) << "the node that changed it";
  EXPECT_FALSE(welcome_open(b)) << "the other node, told through Redis";
  b.restart();
  EXPECT_FALSE(welcome_open(b)) << "after a restart the stored hours still apply";

  // A node that starts while Redis is down takes the stored hours once Redis is back, rather
  // than keeping the configuration file's (always open) hours.
  b.stop();
  redis().stop();
  b.launch();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ASSERT_TRUE(b.running()) << b.log_tail();
  redis().start();
  b.wait_ready();
  EXPECT_FALSE(welcome_open(b)) << "a node started before Redis applies the stored hours";
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST_F(administration, the_programme_directory_is_validated_and_replaced_over_http_by_admins_only) {
  // A private copy of the content, so replacing the directory does not touch the repository.
  const auto content = work_dir() / "content";
  std::filesystem::copy(std::filesystem::path(HELPLINE_SOURCE_DIR) / "content", content,
                        std::filesystem::copy_options::recursive);
  helpline_options options;
  options.overrides = json::object{{"content_dir", content.string()}};
  helpline_process& node = start_node(options, {ada_admin(), sam_advisor()});
  ws_client& ada = client("admin ada");
  const std::string admin_token = str(login(ada, node.port(), "ada", ada_admin().password), "token");
  ws_client& sam = client("advisor sam");
  const std::string advisor_token = str(login(sam, node.port(), "sam", sam_advisor().password), "token");

  EXPECT_EQ(node.http("GET", "/api/admin/directory").first, 401);
  EXPECT_EQ(node.http("GET", "/api/admin/directory", "", advisor_token).first, 403);
  auto [status, original] = node.http("GET", "/api/admin/directory", "", admin_token);
  ASSERT_EQ(status, 200);
  json::object directory = json::parse(original).as_object();

  // A broken entry: validation names it and nothing changes.
  json::object broken = directory;
  broken["programmes"].as_array().at(0).as_object()["type"] = "not_a_programme_type";
  broken["programmes"].as_array().at(2).as_object()["risk_levels"] = json::array{"severe"};
  auto [vstatus, verdict] = node.http("POST", "/api/admin/directory/validate", json::serialize(broken), admin_token);
  ASSERT_EQ(vstatus, 200);
  json::object v = json::parse(verdict).as_object();
  EXPECT_FALSE(boolean(v, "ok"));
  // Both bad entries at once, each with its own line, so the editor fixes them in one round.
  const json::array& errors = field(v, "errors").as_array();
  ASSERT_EQ(errors.size(), 2u) << verdict;
  EXPECT_NE(std::string(errors.at(0).as_string()).find("not_a_programme_type"), std::string::npos) << verdict;
  EXPECT_NE(std::string(errors.at(1).as_string()).find("unknown risk level 'severe'"), std::string::npos) << verdict;
  EXPECT_EQ(std::string(errors.at(1).as_string()).rfind("directory.json:", 0), 0u) << verdict;
  EXPECT_NE(json::serialize(v).find("directory.json"), std::string::npos) << verdict;
  EXPECT_EQ(verdict.find(content.string()), std::string::npos) << "no server paths: " << verdict;
  EXPECT_EQ(verdict.find("candidate"), std::string::npos) << "no temporary file names: " << verdict;
  EXPECT_EQ(node.http("PUT", "/api/admin/directory", json::serialize(broken), admin_token).first, 422);
  EXPECT_EQ(read_file(content / "programmes" / "directory.json"), original);

  // Keep only the first programme: the import applies at once to suggestions.
  json::object smaller = directory;
  auto& list = smaller["programmes"].as_array();
  list.erase(list.begin() + 1, list.end());
  auto [istatus, imported] = node.http("PUT", "/api/admin/directory", json::serialize(smaller), admin_token);
  ASSERT_EQ(istatus, 200) << imported;
  EXPECT_EQ(integer(json::parse(imported).as_object(), "programmes"), 1);
  json::object reloaded = ada.request(json::object{{"type", "content_reload"}, {"what", "directory"}, {"ref", "r"}});
  EXPECT_EQ(integer(reloaded, "programmes"), 1);
}

TEST_F(administration, a_supervisor_takes_over_a_conversation_from_its_advisor) {
  helpline_process& node = start_node({}, {sam_advisor(), sue_supervisor()});
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);
  set_presence(sam, "available");
  ws_client& visitor = client("visitor");
  visitor_conversation c = connect_and_start(visitor, node.port());
  take_offer(sam, c.id);
  visitor.recv_type("advisor_joined");
  std::int64_t first = visitor_says(visitor, "v-1", "I don't feel safe with myself tonight.");

  ws_client& sue = client("supervisor sue");
  login(sue, node.port(), "sue", sue_supervisor().password);
  expect_error(sam, json::object{{"type", "take_over"}, {"conversation_id", c.id}}, "forbidden");
  json::object taken = sue.request(json::object{{"type", "take_over"}, {"conversation_id", c.id}, {"ref", "t"}});
  ASSERT_EQ(frame_type(taken), "conversation") << describe(taken);
  EXPECT_EQ(str(obj(obj(taken, "conversation"), "advisor"), "id"), "sue");
  EXPECT_EQ(integer(obj(taken, "conversation"), "last_seq"), first) << "the history comes with it";

  json::object lost = sam.recv_type("taken_over");
  EXPECT_EQ(str(obj(lost, "by"), "name"), "Sue");
  EXPECT_EQ(str(obj(visitor.recv_type("transferred"), "advisor"), "name"), "Sue");
  std::int64_t reply = advisor_says(sue, c.id, "s-1", "I'm Sue, a supervisor. I'm here with you.");
  expect_message(visitor, reply, "advisor");
  expect_error(sam, json::object{{"type", "message"}, {"conversation_id", c.id}, {"client_id", "a-9"}, {"text", "hi"}},
               "forbidden");
}

}  // namespace
}  // namespace integration
