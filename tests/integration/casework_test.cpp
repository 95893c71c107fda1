// What advisors and supervisors record around a conversation, and what supervisors and
// administrators see: the four-eyes plan for high risk, confidentiality-break records, content
// for advisors, advisors' load, anonymised statistics, accounts and content reload.
#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "conversation_steps.hpp"
#include "helpline_fixture.hpp"
#include "json_frames.hpp"

namespace integration {
namespace {

using namespace test_support;

std::set<std::string> features(const json::object& logged_in) {
  std::set<std::string> out;
  for (const auto& f : field(logged_in, "features").as_array()) out.insert(std::string(f.as_string()));
  return out;
}

class casework : public helpline_test {
 protected:
  // Sam has an active conversation with a visitor.
  void open_conversation(helpline_process& node) {
    sam_ = &client("advisor sam");
    login(*sam_, node.port(), "sam", sam_advisor().password);
    set_presence(*sam_, "available");
    visitor_ = &client("visitor");
    conversation_ = connect_and_start(*visitor_, node.port());
    take_offer(*sam_, conversation_.id);
  }
  ws_client* sam_ = nullptr;
  ws_client* visitor_ = nullptr;
  visitor_conversation conversation_;
};

TEST_F(casework, a_high_risk_plan_needs_another_supervisors_confirmation) {
  helpline_process& node = start_node({}, {sam_advisor(), sue_supervisor(), tom_supervisor()});
  open_conversation(node);
  ws_client& sue = client("supervisor sue");
  json::object sue_in = login(sue, node.port(), "sue", sue_supervisor().password);
  EXPECT_TRUE(features(sue_in).count("plan_confirm"));
  visitor_says(*visitor_, "v-1", "Last night I grabbed her by the throat and I'm scared of what I might do.");
  sam_->recv_type("risk");

  // Nothing is stored without the plan text.
  expect_error(*sam_, json::object{{"type", "plan"}, {"conversation_id", conversation_.id}}, "bad_request");

  // In an emergency the advisor acts first; the confirmation follows.
  json::object planned = sam_->request(json::object{{"type", "plan"}, {"conversation_id", conversation_.id},
                                                    {"plan", "Safety plan agreed; he will leave the house tonight."},
                                                    {"acted_first", true}, {"ref", "p1"}});
  ASSERT_EQ(frame_type(planned), "plan") << describe(planned);
  const json::object& plan = obj(planned, "plan");
  EXPECT_EQ(str(obj(plan, "proposed_by"), "id"), "sam");
  EXPECT_TRUE(boolean(plan, "acted_first"));
  EXPECT_TRUE(field(plan, "confirmed_by").is_null());
  const std::string plan_id = str(plan, "id");

  // Every supervisor's console hears of it.
  json::object pushed = sue.recv_match([&](const json::object& f) { return is_type(f, "plan"); }, "plan for sue");
  EXPECT_EQ(str(obj(pushed, "plan"), "id"), plan_id);

  // An advisor cannot confirm; a supervisor cannot confirm their own plan (four eyes).
  expect_error(*sam_, json::object{{"type", "plan_confirm"}, {"conversation_id", conversation_.id}, {"plan_id", plan_id}},
               "forbidden");
  json::object sues = sue.request(json::object{{"type", "plan"}, {"conversation_id", conversation_.id},
                                               {"plan", "Revised: police informed."}, {"ref", "p2"}});
  const std::string sues_plan = str(obj(sues, "plan"), "id");
  expect_error(sue, json::object{{"type", "plan_confirm"}, {"conversation_id", conversation_.id}, {"plan_id", sues_plan}},
               "forbidden");

  ws_client& tom = client("supervisor tom");
  login(tom, node.port(), "tom", tom_supervisor().password);
  expect_error(tom, json::object{{"type", "plan_confirm"}, {"conversation_id", conversation_.id}, {"plan_id", plan_id}},
               "not_found");  // superseded by Sue's revision
  json::object confirmed = tom.request(json::object{{"type", "plan_confirm"}, {"conversation_id", conversation_.id},
                                                    {"plan_id", sues_plan}, {"ref", "c1"}});
  ASSERT_EQ(frame_type(confirmed), "plan") << describe(confirmed);
  EXPECT_EQ(str(obj(obj(confirmed, "plan"), "confirmed_by"), "name"), "Tom");
  EXPECT_GT(integer(obj(confirmed, "plan"), "confirmed_at"), 0);
  expect_error(tom, json::object{{"type", "plan_confirm"}, {"conversation_id", conversation_.id}, {"plan_id", sues_plan}},
               "conflict");

  // The record is part of the conversation for whoever opens it later.
  json::object joined = tom.request(json::object{{"type", "join"}, {"conversation_id", conversation_.id}, {"ref", "j"}});
  const json::object& stored = obj(obj(joined, "conversation"), "plan");
  EXPECT_EQ(str(stored, "id"), sues_plan);
  EXPECT_EQ(str(obj(stored, "proposed_by"), "id"), "sue");
  EXPECT_EQ(str(obj(stored, "confirmed_by"), "id"), "tom");
}

TEST_F(casework, a_decision_to_share_information_is_recorded_with_who_why_and_with_whom) {
  helpline_process& node = start_node({}, {sam_advisor(), priya_advisor(), sue_supervisor()});
  open_conversation(node);
  ws_client& sue = client("supervisor sue");
  login(sue, node.port(), "sue", sue_supervisor().password);
  ws_client& priya = client("advisor priya");
  login(priya, node.port(), "priya", priya_advisor().password);

  json::object missing{{"type", "disclosure_record"}, {"conversation_id", conversation_.id},
                       {"decided_by", "Sam with Sue"}, {"reason", "Stated intent to kill partner tonight"}};
  expect_error(*sam_, missing, "bad_request");
  json::object full = missing;
  full["shared_with"] = "Police (999)";
  expect_error(priya, full, "forbidden");  // not her conversation
  full["ref"] = "d1";
  json::object recorded = sam_->request(full);
  ASSERT_EQ(frame_type(recorded), "disclosure_recorded") << describe(recorded);
  const json::object& d = obj(recorded, "disclosure");
  EXPECT_EQ(str(d, "shared_with"), "Police (999)");
  EXPECT_EQ(str(obj(d, "recorded_by"), "id"), "sam");
  EXPECT_GT(integer(d, "at"), 0);
  sue.recv_match([&](const json::object& f) { return is_type(f, "disclosure_recorded"); }, "disclosure for sue");

  json::object joined = sue.request(json::object{{"type", "join"}, {"conversation_id", conversation_.id}, {"ref", "j"}});
  const auto& list = field(obj(joined, "conversation"), "disclosures").as_array();
  ASSERT_EQ(list.size(), 1u) << "the refused attempts stored nothing";
  EXPECT_EQ(str(list[0].as_object(), "reason"), "Stated intent to kill partner tonight");
  // Confidential by default: the record's text is not in the server's log.
  EXPECT_EQ(node.log_tail(200000).find("intent to kill"), std::string::npos);
}

TEST_F(casework, advisors_get_suggested_responses_and_canned_responses_in_their_language) {
  helpline_process& node = start_node({}, {sam_advisor()});
  ws_client& sam = client("advisor sam");
  login(sam, node.port(), "sam", sam_advisor().password);
  json::object en = sam.request(json::object{{"type", "content"}, {"lang", "en"}, {"ref", "c"}});
  ASSERT_EQ(frame_type(en), "content") << describe(en);
  EXPECT_FALSE(field(obj(en, "cue_responses"), "minimisation").as_array().empty());
  EXPECT_FALSE(field(en, "canned").as_array().empty());
  json::object pl = sam.request(json::object{{"type", "content"}, {"lang", "pl"}, {"ref", "p"}});
  EXPECT_EQ(str(pl, "lang"), "pl");
  bool polish_welcome = false;
  for (const auto& c : field(pl, "canned").as_array()) {
    if (str(c.as_object(), "id") == "welcome") polish_welcome = str(c.as_object(), "text").find("Dziękuję") == 0;
  }
  EXPECT_TRUE(polish_welcome);
  json::object fallback = sam.request(json::object{{"type", "content"}, {"lang", "xx"}, {"ref", "x"}});
  EXPECT_EQ(str(fallback, "lang"), "en");
}

TEST_F(casework, supervisors_see_advisors_load_and_anonymised_statistics) {
  helpline_process& node = start_node({}, {sam_advisor(), priya_advisor(), sue_supervisor()});
  open_conversation(node);
  ws_client& sue = client("supervisor sue");
  login(sue, node.port(), "sue", sue_supervisor().password);

  json::object advisors = sue.request(json::object{{"type", "advisors"}, {"ref", "a"}});
  bool saw_sam = false, saw_priya = false;
  for (const auto& v : field(advisors, "advisors").as_array()) {
    const auto& a = v.as_object();
    if (str(a, "id") == "sam") {
      saw_sam = true;
      EXPECT_EQ(str(a, "presence"), "available");
      EXPECT_EQ(integer(a, "load"), 1);
      EXPECT_EQ(integer(a, "capacity"), 2);
    } else if (str(a, "id") == "priya") {
      saw_priya = true;
      EXPECT_EQ(str(a, "presence"), "offline");
    }
  }
  EXPECT_TRUE(saw_sam && saw_priya) << describe(advisors);
  json::object limited = sam_->request(json::object{{"type", "advisors"}, {"ref", "a"}});
  EXPECT_FALSE(field(limited, "advisors").as_array().at(0).as_object().contains("conversations"))
      << "advisors see who to transfer to, not everyone's caseload";

  // A referral, an abandoned contact and a callback request, then the figures.
  sam_->request(json::object{{"type", "end"}, {"conversation_id", conversation_.id}, {"ref", "e"}});
  json::object wrapped = sam_->request(json::object{
      {"type", "wrap_up"}, {"conversation_id", conversation_.id}, {"caller_type", "own_behaviour"},
      {"outcome", "referred"}, {"referral_made", true}, {"referral_programme_type", "dapp"},
      {"actions", json::array{"none"}}, {"ref", "w"}});
  ASSERT_EQ(frame_type(wrapped), "wrapped_up") << describe(wrapped);
  set_presence(*sam_, "away");
  ws_client& leaver = client("visitor who leaves");
  connect_and_start(leaver, node.port(), "professional");
  leaver.request(json::object{{"type", "end"}, {"ref", "bye"}});
  json::object cb = leaver.request(json::object{{"type", "callback_request"}, {"ref", "cb"}, {"phone", "07700 900123"},
                                                {"caller_type", "professional"},
                                                {"safe_times", json::array{json::object{{"day", "any"}, {"from", "09:00"}, {"to", "17:00"}}}},
                                                {"may_leave_message", false}, {"may_say_who_is_calling", false}});
  ASSERT_EQ(frame_type(cb), "callback_requested") << describe(cb);

  expect_error(*sam_, json::object{{"type", "stats"}}, "forbidden");
  json::object stats = sue.request(json::object{{"type", "stats"}, {"ref", "s"}});
  ASSERT_EQ(frame_type(stats), "stats") << describe(stats);
  EXPECT_EQ(integer(stats, "contacts"), 3) << describe(stats);
  EXPECT_EQ(integer(stats, "abandoned"), 1);
  EXPECT_EQ(integer(obj(stats, "referrals_by_programme_type"), "dapp"), 1);
  EXPECT_EQ(integer(obj(stats, "risk_levels"), "none"), 2);
  EXPECT_EQ(integer(obj(stats, "waits"), "count"), 1);
  EXPECT_FALSE(field(obj(stats, "waits"), "median_seconds").is_null());
  const auto& days = field(stats, "days").as_array();
  ASSERT_EQ(days.size(), 28u) << "the default is the last 28 days";
  const auto& today = obj(days.back().as_object(), "contacts");
  EXPECT_EQ(integer(obj(today, "by_channel"), "chat"), 2);
  EXPECT_EQ(integer(obj(today, "by_channel"), "callback"), 1);
  EXPECT_EQ(integer(obj(today, "by_caller_type"), "professional"), 2);
  // Counts only: no ids, names or numbers.
  const std::string text = json::serialize(stats);
  EXPECT_EQ(text.find(conversation_.id), std::string::npos);
  EXPECT_EQ(text.find("900123"), std::string::npos);
  EXPECT_EQ(text.find("Sam"), std::string::npos);
  expect_error(sue, json::object{{"type", "stats"}, {"from", "2026-01-01"}, {"to", "2027-06-01"}}, "bad_request");
}

TEST_F(casework, administrators_manage_accounts_and_reload_content) {
  helpline_process& node = start_node({}, {sam_advisor(), ada_admin()});
  ws_client& ada = client("admin ada");
  json::object ada_in = login(ada, node.port(), "ada", ada_admin().password);
  EXPECT_TRUE(features(ada_in).count("user_add"));
  ws_client& sam = client("advisor sam");
  json::object sam_in = login(sam, node.port(), "sam", sam_advisor().password);
  EXPECT_FALSE(features(sam_in).count("user_add"));
  expect_error(sam, json::object{{"type", "users"}}, "forbidden");

  json::object add{{"type", "user_add"}, {"username", "nadia"}, {"name", "Nadia"}, {"role", "advisor"},
                   {"languages", json::array{"en", "es"}}, {"password", "short"}};
  expect_error(ada, add, "bad_request");
  add["password"] = "nadia-test-password-1";
  add["ref"] = "u1";
  json::object added = ada.request(add);
  ASSERT_EQ(frame_type(added), "user") << describe(added);
  expect_error(ada, add, "conflict");
  ws_client& nadia = client("advisor nadia");
  login(nadia, node.port(), "nadia", "nadia-test-password-1");
  nadia.close();

  json::object disabled = ada.request(
      json::object{{"type", "user_update"}, {"username", "nadia"}, {"disabled", true}, {"ref", "u2"}});
  EXPECT_TRUE(boolean(obj(disabled, "user"), "disabled"));
  ws_client& again = client("advisor nadia again");
  again.connect(node.port(), "/ws/advisor");
  expect_error(again, json::object{{"type", "login"}, {"username", "nadia"}, {"password", "nadia-test-password-1"}},
               "bad_credentials");

  // Ada is the only administrator: she cannot disable or demote herself, and once another admin
  // exists, the last one still cannot be disabled by the other.
  expect_error(ada, json::object{{"type", "user_update"}, {"username", "ada"}, {"disabled", true}}, "forbidden");
  expect_error(ada, json::object{{"type", "user_update"}, {"username", "ada"}, {"role", "advisor"}}, "forbidden");
  ws_client& ada_again = client("admin ada again");
  login(ada_again, node.port(), "ada", ada_admin().password);  // still an admin, still enabled

  json::object users = ada.request(json::object{{"type", "users"}, {"ref", "l"}});
  EXPECT_EQ(field(users, "users").as_array().size(), 3u);
  EXPECT_EQ(json::serialize(users).find("argon2"), std::string::npos) << "no password hashes";

  expect_error(ada, json::object{{"type", "content_reload"}}, "bad_request");  // a probe reloads nothing
  // Reloading every content file takes seconds under the sanitizers with other tests running
  // beside it: a bound only a broken run reaches.
  json::object reloaded = ada.request(json::object{{"type", "content_reload"}, {"what", "all"}, {"ref", "r"}},
                                      std::chrono::seconds(60));
  ASSERT_EQ(frame_type(reloaded), "content_reloaded") << describe(reloaded);
  EXPECT_GT(integer(reloaded, "programmes"), 0);
}

}  // namespace
}  // namespace integration
