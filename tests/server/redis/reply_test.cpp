#include "redis/reply.hpp"

#include <gtest/gtest.h>

#include <string>

#include "redis/error.hpp"
#include "redis/script.hpp"
#include "redis/sha1.hpp"
#include "redis_test_helpers.hpp"

namespace {

using helpline::redis::errc;
using helpline::redis::reply;
using redis_tests::error_of;

reply make(reply::kind type, std::string text = {}, long long number = 0) {
  reply r;
  r.type = type;
  r.str = std::move(text);
  r.integer = number;
  return r;
}

TEST(reply, accessors_accept_their_kinds) {
  EXPECT_EQ(make(reply::kind::string, "v").as_string(), "v");
  EXPECT_EQ(make(reply::kind::status, "OK").as_string(), "OK");
  EXPECT_EQ(make(reply::kind::integer, {}, -7).as_integer(), -7);
  EXPECT_EQ(make(reply::kind::string, "123").as_integer(), 123);
  EXPECT_EQ(make(reply::kind::nil).as_optional_string(), std::nullopt);
  EXPECT_TRUE(make(reply::kind::nil).as_array().empty());
  reply array = make(reply::kind::array);
  array.elements.push_back(make(reply::kind::string, "a"));
  EXPECT_EQ(array.as_array().size(), 1U);
}

TEST(reply, wrong_shapes_are_protocol_errors) {
  EXPECT_EQ(error_of([] { (void)make(reply::kind::integer, {}, 1).as_string(); }), errc::protocol);
  EXPECT_EQ(error_of([] { (void)make(reply::kind::string, "12x").as_integer(); }), errc::protocol);
  EXPECT_EQ(error_of([] { (void)make(reply::kind::string, "").as_integer(); }), errc::protocol);
  EXPECT_EQ(error_of([] { (void)make(reply::kind::string, "a").as_array(); }), errc::protocol);
  EXPECT_EQ(error_of([] { (void)make(reply::kind::nil).as_string(); }), errc::protocol);
}

TEST(reply, error_replies_throw_server_errors_with_their_text) {
  std::string message;
  EXPECT_EQ(error_of([] { (void)make(reply::kind::error, "ERR conflict").as_integer(); }, &message),
            errc::server);
  EXPECT_NE(message.find("ERR conflict"), std::string::npos);
  EXPECT_EQ(error_of([] { (void)make(reply::kind::error, "NOSCRIPT x").as_optional_string(); }),
            errc::server);
}

TEST(errc, every_code_has_a_name) {
  EXPECT_EQ(helpline::redis::to_string(errc::connection), "connection");
  EXPECT_EQ(helpline::redis::to_string(errc::timeout), "timeout");
  EXPECT_EQ(helpline::redis::to_string(errc::server), "server");
  EXPECT_EQ(helpline::redis::to_string(errc::protocol), "protocol");
  EXPECT_EQ(helpline::redis::to_string(errc::overloaded), "overloaded");
  EXPECT_EQ(helpline::redis::to_string(errc::closed), "closed");
  const helpline::redis::error e(errc::server, "NOSCRIPT No matching script");
  EXPECT_EQ(e.code(), errc::server);
  EXPECT_NE(std::string(e.what()).find("NOSCRIPT No matching script"), std::string::npos);
}

TEST(sha1, matches_the_fips_test_vectors) {
  using helpline::redis::sha1_hex;
  EXPECT_EQ(sha1_hex(""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(sha1_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  EXPECT_EQ(sha1_hex(std::string(1000000, 'a')), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  // Lengths around the 55/56/64-byte padding boundaries must not crash or collide.
  EXPECT_NE(sha1_hex(std::string(55, 'x')), sha1_hex(std::string(56, 'x')));
  EXPECT_NE(sha1_hex(std::string(63, 'x')), sha1_hex(std::string(64, 'x')));
  EXPECT_EQ(helpline::redis::script("return 1").sha1(), sha1_hex("return 1"));
}

}  // namespace
