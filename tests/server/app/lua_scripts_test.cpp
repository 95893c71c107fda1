// The atomic steps of docs/redis.md, run against a real redis-server: queue order by level with
// ageing, gap-free idempotent message numbering, and offers that time out keeping their place.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <boost/json.hpp>

#include "app/keys.hpp"
#include "app/script_calls.hpp"
#include "redis/blocking_connection.hpp"
#include "redis/error.hpp"
#include "redis_server_process.hpp"

namespace helpline {
namespace {

using strings = std::vector<std::string>;
const std::string boosts = "[0, 300, 900, 1800, 3153600000]";  // seconds per level rank

class lua_scripts : public ::testing::Test {
 protected:
  void SetUp() override {
    redis::options o;
    o.host = "127.0.0.1";
    o.port = server_.port();
    redis_.emplace(redis::blocking_connection::connect(o));
  }

  redis::reply run(const script_call& c) { return redis_->eval(*c.script, c.keys, c.args); }
  redis::reply cmd(const strings& args) { return redis_->command(args); }

  // A conversation through screening into the queue at `queued_at`.
  void queue_conversation(const std::string& id, long long queued_at, const std::string& lang = "en") {
    run(scripts::create_conversation({.id = id,
                                      .resume_hash = "hash-" + id,
                                      .caller_type = "own_behaviour",
                                      .lang = lang,
                                      .first_question = "danger_now",
                                      .now_ms = queued_at - 1000,
                                      .resume_ttl_s = 3600}));
    ASSERT_EQ(run(scripts::answer({.id = id,
                                   .question_id = "danger_now",
                                   .answer_json = R"({"question_id":"danger_now","value":"no"})",
                                   .next_question = "",
                                   .now_ms = queued_at,
                                   .boosts_json = boosts}))
                  .as_string(),
              "queued");
  }
  strings categories(const std::string& id) {
    strings out;
    const redis::reply all = cmd({"HGET", keys::conversation(id), "categories"});
    const boost::json::value parsed = boost::json::parse(all.as_string());
    for (const auto& c : parsed.as_array()) out.emplace_back(c.as_string());
    return out;
  }
  // A visitor message whose screening found `category`, raising the level to `level`.
  void raise(const std::string& id, triage::risk_level level, long long now) {
    const std::string category = "test_" + std::string(triage::to_string(level));
    run(scripts::visitor_message({.id = id,
                                  .client_id = "raise-" + std::to_string(now),
                                  .text = "x",
                                  .now_ms = now,
                                  .flags_json = R"([{"category":")" + category + R"("}])",
                                  .cues_json = "",
                                  .screening_context = "",
                                  .max_messages = 5000,
                                  .boosts_json = boosts,
                                  .risk = {.seen = categories(id), .added = {category}, .level = level}}));
  }
  strings queue() {
    strings out;
    const redis::reply ids = cmd({"ZRANGE", keys::queue, "0", "-1"});
    for (const auto& e : ids.as_array()) out.push_back(e.str);
    return out;
  }
  void advisor(const std::string& id, const std::string& langs, long long now, int capacity = 1) {
    cmd({"HSET", keys::advisor(id), "presence", "available", "capacity", std::to_string(capacity), "languages",
         langs, "caller_types", "own_behaviour,professional", "role", "advisor"});
    cmd({"ZADD", keys::advisors_online, std::to_string(now), id});
  }
  void route(long long now, long long skill_ms = 60000) {
    run(scripts::route({.now_ms = now,
                        .offer_ms = 30000,
                        .skill_ms = skill_ms,
                        .alive_ms = 3600000,
                        .abandon_ms = 3600000,
                        .scan = 200,
                        .sweep = false,
                        .retention_s = 86400}));
  }
  std::string field(const std::string& id, const std::string& f) {
    auto r = cmd({"HGET", keys::conversation(id), f});
    return r.as_optional_string().value_or("");
  }

  test_support::redis_server_process server_;
  std::optional<redis::blocking_connection> redis_;
};

TEST_F(lua_scripts, higher_risk_goes_first_but_ageing_lets_a_long_wait_overtake) {
  const long long t0 = 1'800'000'000'000;
  queue_conversation("c_first_none", t0);
  queue_conversation("c_later_high", t0 + 60'000);
  EXPECT_EQ(queue(), (strings{"c_first_none", "c_later_high"}));
  raise("c_later_high", triage::risk_level::high, t0 + 70'000);  // a disclosure mid-wait reorders at once
  EXPECT_EQ(queue(), (strings{"c_later_high", "c_first_none"}));

  // medium's boost is 15 minutes: a visitor who has waited 20 minutes longer stays ahead.
  queue_conversation("c_much_later_medium", t0 + 20 * 60'000);
  raise("c_much_later_medium", triage::risk_level::medium, t0 + 20 * 60'000);
  EXPECT_EQ(queue(), (strings{"c_later_high", "c_first_none", "c_much_later_medium"}));

  // Levels never fall: a later "low" leaves it high.
  raise("c_later_high", triage::risk_level::low, t0 + 80'000);
  EXPECT_EQ(field("c_later_high", "level"), "high");
}

TEST_F(lua_scripts, messages_get_gap_free_numbers_and_a_resend_stores_nothing) {
  queue_conversation("c_msgs", 1'800'000'000'000);
  auto append = [&](const std::string& cid, const std::string& text) {
    return run(scripts::visitor_message({.id = "c_msgs",
                                         .client_id = cid,
                                         .text = text,
                                         .now_ms = 1800000000001,
                                         .flags_json = "",
                                         .cues_json = "",
                                         .screening_context = "",
                                         .max_messages = 5000,
                                         .boosts_json = boosts,
                                         .risk = {}}));
  };
  for (int i = 1; i <= 3; ++i) {
    auto r = append("v-" + std::to_string(i), "message " + std::to_string(i));
    EXPECT_EQ(r.as_array().at(0).as_integer(), 0) << "new";
    EXPECT_EQ(r.as_array().at(1).as_integer(), i) << "seq";
  }
  auto again = append("v-2", "message 2");
  EXPECT_EQ(again.as_array().at(0).as_integer(), 1) << "duplicate";
  EXPECT_EQ(again.as_array().at(1).as_integer(), 2) << "the original seq";
  EXPECT_EQ(cmd({"XLEN", keys::messages("c_msgs")}).as_integer(), 3);
  const redis::reply range = cmd({"XRANGE", keys::messages("c_msgs"), "2-0", "+"});
  const auto& missed = range.as_array();
  ASSERT_EQ(missed.size(), 2u);
  EXPECT_EQ(missed[0].as_array().at(0).str, "2-0");

  // Not allowed in this state (an advisor's message before anyone accepted): refused, nothing
  // stored, the numbering goes on without a gap.
  EXPECT_THROW(run(scripts::append_message({.id = "c_msgs",
                                            .sender_key = "a:ana",
                                            .client_id = "a-9",
                                            .from = "advisor",
                                            .name = "Ana",
                                            .text = "x",
                                            .now_ms = 1,
                                            .card_json = "",
                                            .allowed_states = "active",
                                            .max_messages = 5000,
                                            .advisor_id = ""})),
               redis::error);
  EXPECT_EQ(append("v-4", "message 4").as_array().at(1).as_integer(), 4);
}

TEST_F(lua_scripts, offers_go_to_skilled_advisors_and_a_timed_out_offer_moves_on_keeping_its_place) {
  const long long t0 = 1'800'000'000'000;
  advisor("ana", "en", t0);
  advisor("piotr", "pl", t0);
  queue_conversation("c_polish", t0, "pl");
  queue_conversation("c_english", t0 + 1000);
  route(t0 + 2000);
  EXPECT_EQ(field("c_polish", "offered_to"), "piotr") << "language match first";
  EXPECT_EQ(field("c_english", "offered_to"), "ana");
  EXPECT_EQ(field("c_polish", "interpreter"), "0");
  EXPECT_EQ(cmd({"ZCARD", keys::offers}).as_integer(), 2) << "both offers wait for their expiry";

  // Piotr does not answer in 30 s: withdrawn, and with nobody else free it goes round again to
  // Piotr rather than anyone skipping ahead; its queue position never changed.
  route(t0 + 33'000);
  EXPECT_EQ(queue().front(), "c_polish");
  EXPECT_EQ(field("c_polish", "offered_to"), "piotr");
}

TEST_F(lua_scripts, after_the_skill_wait_any_advisor_is_offered_with_an_interpreter_note) {
  const long long t0 = 1'800'000'000'000;
  advisor("ana", "en", t0);
  queue_conversation("c_polish", t0, "pl");
  route(t0 + 1000, 60'000);
  EXPECT_EQ(field("c_polish", "state"), "queued") << "waits for a Polish speaker first";
  route(t0 + 61'000, 60'000);
  EXPECT_EQ(field("c_polish", "offered_to"), "ana");
  EXPECT_EQ(field("c_polish", "interpreter"), "1");
}

TEST_F(lua_scripts, a_visitor_who_left_is_not_offered_and_a_ghost_is_abandoned) {
  const long long t0 = 1'800'000'000'000;
  advisor("ana", "en", t0);
  queue_conversation("c_ghost", t0);
  queue_conversation("c_here", t0 + 1000);
  auto presence = [&](const std::string& id, bool seen, long long now) {
    return run(scripts::visitor_presence({.id = id, .seen = seen, .now_ms = now, .alive_ms = 15000, .gone_ms = 60000}))
        .as_string();
  };
  presence("c_ghost", true, t0 + 1500);
  presence("c_here", true, t0 + 1500);
  route(t0 + 2000);
  ASSERT_EQ(field("c_ghost", "offered_to"), "ana") << "first in the queue, and there";

  // The tab closes: the offer is taken back at once, and the one who is there is offered.
  EXPECT_EQ(presence("c_ghost", false, t0 + 3000), "away");
  EXPECT_EQ(field("c_ghost", "state"), "queued");
  EXPECT_EQ(field("c_ghost", "offered_to"), "");
  EXPECT_EQ(field("c_ghost", "presence"), "away");
  route(t0 + 3500);
  EXPECT_EQ(field("c_here", "offered_to"), "ana") << "the visitor who is there, not the ghost ahead";
  EXPECT_EQ(queue().front(), "c_ghost") << "away keeps its place for a while";

  // Back within the grace: connected again.
  EXPECT_EQ(presence("c_ghost", true, t0 + 10'000), "connected");
  EXPECT_EQ(presence("c_ghost", false, t0 + 11'000), "away");

  // Gone for the whole grace: the sweep abandons the waiting conversation (the other visitor's
  // node kept heartbeating).
  presence("c_here", true, t0 + 70'000);
  run(scripts::route({.now_ms = t0 + 11'000 + 60'000, .offer_ms = 30000, .skill_ms = 60000, .alive_ms = 3600000,
                      .abandon_ms = 60000, .scan = 200, .sweep = true, .retention_s = 86400,
                      .visitor_alive_ms = 15000}));
  EXPECT_EQ(field("c_ghost", "state"), "abandoned");
  EXPECT_EQ(field("c_ghost", "presence"), "gone");
  EXPECT_EQ(queue(), strings{"c_here"});
}

TEST_F(lua_scripts, a_node_that_stops_heartbeating_leaves_its_visitors_away) {
  const long long t0 = 1'800'000'000'000;
  queue_conversation("c_1", t0);
  run(scripts::visitor_presence({.id = "c_1", .seen = true, .now_ms = t0, .alive_ms = 15000, .gone_ms = 60000}));
  // No heartbeat for 20 s (the node died): the sweep finds the visitor away.
  run(scripts::route({.now_ms = t0 + 20'000, .offer_ms = 30000, .skill_ms = 60000, .alive_ms = 3600000,
                      .abandon_ms = 60000, .scan = 200, .sweep = true, .retention_s = 86400,
                      .visitor_alive_ms = 15000}));
  EXPECT_EQ(field("c_1", "presence"), "away");
  EXPECT_EQ(field("c_1", "state"), "queued");
}

}  // namespace
}  // namespace helpline
