// The atomic steps of docs/redis.md, run against a real redis-server: queue order by level with
// ageing, gap-free idempotent message numbering, and offers that time out keeping their place.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/redis_scripts.hpp"
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

  redis::reply run(const redis::script& s, const strings& args) { return redis_->eval(s, {}, args); }
  redis::reply cmd(const strings& args) { return redis_->command(args); }

  // A conversation through screening into the queue at `queued_at`.
  void queue_conversation(const std::string& id, long long queued_at, const std::string& lang = "en") {
    const auto& s = redis_scripts::get();
    run(s.create_conversation, {id, "hash-" + id, "own_behaviour", lang, std::to_string(queued_at - 1000),
                                "danger_now", "3600"});
    ASSERT_EQ(run(s.answer, {id, "danger_now", R"({"question_id":"danger_now","value":"no"})", "",
                             std::to_string(queued_at), boosts})
                  .as_string(),
              "queued");
  }
  void raise(const std::string& id, const std::string& level, int rank, long long now) {
    run(redis_scripts::get().set_level, {id, level, std::to_string(rank), boosts, "[]", "[]", std::to_string(now)});
  }
  strings queue() {
    strings out;
    const redis::reply ids = cmd({"ZRANGE", "hl:queue", "0", "-1"});
    for (const auto& e : ids.as_array()) out.push_back(e.str);
    return out;
  }
  void advisor(const std::string& id, const std::string& langs, long long now, int capacity = 1) {
    cmd({"HSET", "hl:advisor:" + id, "presence", "available", "capacity", std::to_string(capacity), "languages",
         langs, "caller_types", "own_behaviour,professional", "role", "advisor"});
    cmd({"ZADD", "hl:advisors:online", std::to_string(now), id});
  }
  // route ARGV: now, offer_ms, skill_ms, alive_ms, abandon_ms, scan, sweep, retention_s
  void route(long long now, long long skill_ms = 60000) {
    run(redis_scripts::get().route, {std::to_string(now), "30000", std::to_string(skill_ms), "3600000", "3600000",
                                     "200", "0", "86400"});
  }
  std::string field(const std::string& id, const std::string& f) {
    auto r = cmd({"HGET", "hl:conv:" + id, f});
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
  raise("c_later_high", "high", 3, t0 + 70'000);  // a disclosure mid-wait reorders at once
  EXPECT_EQ(queue(), (strings{"c_later_high", "c_first_none"}));

  // medium's boost is 15 minutes: a visitor who has waited 20 minutes longer stays ahead.
  queue_conversation("c_much_later_medium", t0 + 20 * 60'000);
  raise("c_much_later_medium", "medium", 2, t0 + 20 * 60'000);
  EXPECT_EQ(queue(), (strings{"c_later_high", "c_first_none", "c_much_later_medium"}));

  // Levels never fall: a later "low" leaves it high.
  raise("c_later_high", "low", 1, t0 + 80'000);
  EXPECT_EQ(field("c_later_high", "level"), "high");
}

TEST_F(lua_scripts, messages_get_gap_free_numbers_and_a_resend_stores_nothing) {
  const auto& s = redis_scripts::get();
  queue_conversation("c_msgs", 1'800'000'000'000);
  auto append = [&](const std::string& cid, const std::string& text) {
    return run(s.append_message, {"c_msgs", "visitor", cid, "visitor", "", text, "1800000000001", "", "", "",
                                  "queued,offered,active", "5000", ""});
  };
  for (int i = 1; i <= 3; ++i) {
    auto r = append("v-" + std::to_string(i), "message " + std::to_string(i));
    EXPECT_EQ(r.as_array().at(0).as_integer(), 0) << "new";
    EXPECT_EQ(r.as_array().at(1).as_integer(), i) << "seq";
  }
  auto again = append("v-2", "message 2");
  EXPECT_EQ(again.as_array().at(0).as_integer(), 1) << "duplicate";
  EXPECT_EQ(again.as_array().at(1).as_integer(), 2) << "the original seq";
  EXPECT_EQ(cmd({"XLEN", "hl:conv:c_msgs:msgs"}).as_integer(), 3);
  const redis::reply range = cmd({"XRANGE", "hl:conv:c_msgs:msgs", "2-0", "+"});
  const auto& missed = range.as_array();
  ASSERT_EQ(missed.size(), 2u);
  EXPECT_EQ(missed[0].as_array().at(0).str, "2-0");

  // Not allowed in this state: refused, nothing stored, the numbering goes on without a gap.
  EXPECT_THROW(run(s.append_message, {"c_msgs", "visitor", "v-9", "visitor", "", "x", "1", "", "", "", "active",
                                      "5000", ""}),
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

}  // namespace
}  // namespace helpline
