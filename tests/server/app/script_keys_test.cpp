// Every script declares the keys its caller knows (KEYS, not key names built from ARGV), the
// key names of server/lua/lib.lua agree with app/keys.hpp, and one conversation's keys (and one
// advisor's) hash to one Redis Cluster slot. Slots are computed here (CRC16/XMODEM of the hash
// tag, as Redis Cluster does) because CLUSTER KEYSLOT needs a cluster-enabled server.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <regex>
#include <sstream>
#include <set>
#include <string>
#include <vector>

#include "app/keys.hpp"
#include "app/lua_scripts.hpp"
#include "app/script_calls.hpp"
#include "redis/blocking_connection.hpp"
#include "redis_server_process.hpp"

namespace helpline {
namespace {

std::uint16_t crc16(std::string_view data) {
  std::uint16_t crc = 0;
  for (unsigned char byte : data) {
    crc ^= static_cast<std::uint16_t>(byte << 8);
    for (int i = 0; i < 8; ++i) {
      crc = static_cast<std::uint16_t>((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
    }
  }
  return crc;
}

// Redis Cluster's key slot: the CRC of the first non-empty {...} in the key, else of the key.
int slot(std::string_view key) {
  auto open = key.find('{');
  if (open != std::string_view::npos) {
    auto close = key.find('}', open + 1);
    if (close != std::string_view::npos && close > open + 1) key = key.substr(open + 1, close - open - 1);
  }
  return crc16(key) % 16384;
}

std::string source_of(std::string_view name) {
  for (const auto& s : lua::all_scripts()) {
    if (s.name == name) return std::string(s.source);
  }
  return {};
}

TEST(key_slots, the_slot_function_matches_redis_cluster_examples) {
  // Values from the Redis Cluster specification and CLUSTER KEYSLOT.
  EXPECT_EQ(crc16("123456789"), 0x31C3);
  EXPECT_EQ(slot("foo"), 12182);
  EXPECT_EQ(slot("{user1000}.following"), slot("{user1000}.followers"));
}

TEST(key_slots, one_conversations_keys_share_a_slot_and_so_do_one_advisors) {
  const std::string id = "c_3fZ9q";
  const int s = slot(keys::conversation(id));
  for (const auto& k : {keys::messages(id), keys::client_ids(id), keys::tried(id), keys::watchers(id)}) {
    EXPECT_EQ(slot(k), s) << k;
  }
  const int a = slot(keys::advisor("ana"));
  for (const auto& k : {keys::advisor_conversations("ana"), keys::advisor_offers("ana"), keys::advisor_wrapups("ana")}) {
    EXPECT_EQ(slot(k), a) << k;
  }
  EXPECT_NE(slot(keys::conversation("c_other")), s) << "different conversations spread over the slots";
}

// Every key a call declares for one conversation (or one advisor) is in that one slot.
void expect_one_slot_per_owner(const script_call& call, const std::string& what) {
  std::map<std::string, std::set<int>> slots;  // "hl:conv:" / "hl:advisor:" / ... -> slots seen
  for (const auto& k : call.keys) {
    auto tag = k.find('{');
    if (tag == std::string::npos) continue;  // a global index (queue, live, offers): one key
    slots[k.substr(0, tag)].insert(slot(k));
  }
  for (const auto& [prefix, seen] : slots) EXPECT_EQ(seen.size(), 1u) << what << ": " << prefix;
}

TEST(script_keys, every_typed_call_declares_its_keys_and_one_owner_is_one_slot) {
  const std::string id = "c_abc";
  const scripts::risk_change risk{.seen = {}, .added = {"weapons"}, .level = triage::risk_level::high,
                                  .stats_day = "2026-01-02"};
  const std::vector<std::pair<std::string, script_call>> calls{
      {"create_conversation", scripts::create_conversation({.id = id, .resume_hash = "h"})},
      {"answer", scripts::answer({.id = id, .risk = risk})},
      {"visitor_message", scripts::visitor_message({.id = id, .risk = risk})},
      {"append_message", scripts::append_message({.id = id, .sender_key = "a:ana"})},
      {"route", scripts::route({.today = "2026-01-02"})},
      {"accept", scripts::accept({.id = id, .advisor = "ana"})},
      {"decline", scripts::decline({.advisor = "ana", .reason = "declined", .id = id})},
      {"advisor_offline", scripts::advisor_offline({.advisor = "ana"})},
      {"end_conversation", scripts::end_conversation({.id = id})},
      {"wrap_up", scripts::wrap_up({.id = id})},
      {"transfer", scripts::transfer({.id = id})},
      {"take_over", scripts::take_over({.id = id, .supervisor = "sue"})},
      {"case_record", scripts::case_record({.id = id})},
      {"callback_create", scripts::callback_create({.id = "cb_1"})},
      {"callback_claim", scripts::callback_claim({.id = "cb_1"})},
      {"callback_outcome", scripts::callback_outcome({.id = "cb_1"})},
      {"visitor_presence", scripts::visitor_presence({.id = id})},
      {"callback_cancel", scripts::callback_cancel({.id = "cb_1"})}};
  std::set<std::string> covered;
  for (const auto& [name, call] : calls) {
    covered.insert(name);
    ASSERT_NE(call.script, nullptr) << name;
    EXPECT_FALSE(call.keys.empty()) << name << " declares no KEYS";
    for (const auto& arg : call.args) EXPECT_EQ(arg.rfind("hl:", 0), std::string::npos) << name << ": a key in ARGV";
    expect_one_slot_per_owner(call, name);
  }
  for (const auto& name : redis_scripts::names()) EXPECT_TRUE(covered.count(name)) << name << " has no typed call";
  EXPECT_EQ(covered.size(), redis_scripts::names().size());
}

TEST(script_keys, scripts_take_keys_from_keys_and_name_none_themselves) {
  for (const auto& name : redis_scripts::names()) {
    const std::string text = source_of(name);
    EXPECT_NE(text.find("-- KEYS:"), std::string::npos) << name << " documents no KEYS";
    EXPECT_NE(text.find("KEYS[1]"), std::string::npos) << name << " uses no KEYS";
    // Keys found while running are named by lib.lua's functions, never spelled out here.
    EXPECT_EQ(text.find("'hl:"), std::string::npos) << name << " builds a key name";
    EXPECT_EQ(text.find("\"hl:"), std::string::npos) << name << " builds a key name";
  }
}

// `local offers = 0` further down once turned the offers key into a counter: a name bound to a
// key is never declared again.
TEST(script_keys, a_name_given_to_a_key_is_not_reused) {
  const std::regex keys_line(R"(^local ([a-z_, ]+) = KEYS\[)");
  for (const auto& name : redis_scripts::names()) {
    std::istringstream text(source_of(name));
    std::set<std::string> key_names;
    std::string line;
    while (std::getline(text, line)) {
      std::smatch m;
      if (std::regex_search(line, m, keys_line)) {
        std::istringstream names(m[1].str());
        for (std::string n; std::getline(names, n, ',');) key_names.insert(n.substr(n.find_first_not_of(' ')));
        continue;
      }
      for (const auto& k : key_names) {
        EXPECT_EQ(line.find("local " + k + " "), std::string::npos) << name << ": " << line;
        EXPECT_EQ(line.find("local " + k + ","), std::string::npos) << name << ": " << line;
      }
    }
  }
}

TEST(script_keys, lib_lua_names_keys_as_keys_hpp_does) {
  test_support::redis_server_process server;
  redis::options o;
  o.host = "127.0.0.1";
  o.port = server.port();
  auto redis = redis::blocking_connection::connect(o);
  const redis::script probe(source_of("lib") + R"(
    local k = conv_keys(ARGV[1])
    return {k[1], k[2], k[3], k[4], k[5], advisor_key(ARGV[2]) .. ':convs', advisor_key(ARGV[2]) .. ':offers',
            advisor_key(ARGV[2]) .. ':wrapups'})");
  const redis::reply r = redis.eval(probe, {}, {"c_x1", "ana"});
  const std::vector<std::string> expected{keys::conversation("c_x1"),          keys::messages("c_x1"),
                                          keys::client_ids("c_x1"),            keys::tried("c_x1"),
                                          keys::watchers("c_x1"),              keys::advisor_conversations("ana"),
                                          keys::advisor_offers("ana"),         keys::advisor_wrapups("ana")};
  ASSERT_EQ(r.as_array().size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(r.as_array()[i].str, expected[i]);
}

}  // namespace
}  // namespace helpline
