#include "redis/blocking_connection.hpp"

#include <gtest/gtest.h>

#include "free_port.hpp"
#include "redis/error.hpp"
#include "redis_server_process.hpp"
#include "redis_test_helpers.hpp"

namespace {

using namespace redis_tests;
using helpline::redis::blocking_connection;
using helpline::redis::errc;
using helpline::redis::options;
using helpline::redis::script;

class blocking_connection_test : public ::testing::Test {
 protected:
  options make_options() const {
    options o;
    o.port = server_.port();
    return o;
  }
  test_support::redis_server_process server_;
};

TEST_F(blocking_connection_test, runs_commands_and_scripts) {
  auto connection = blocking_connection::connect(make_options());
  EXPECT_EQ(connection.command({"SET", "user:1", "alice"}).as_string(), "OK");
  EXPECT_EQ(connection.command({"GET", "user:1"}).as_string(), "alice");
  EXPECT_TRUE(connection.command({"GET", "user:2"}).is_nil());
  const script add("return redis.call('INCRBY', KEYS[1], ARGV[1])");
  EXPECT_EQ(connection.eval(add, {"n"}, {"2"}).as_integer(), 2);
  connection.command({"SCRIPT", "FLUSH"});
  EXPECT_EQ(connection.eval(add, {"n"}, {"3"}).as_integer(), 5);
}

TEST_F(blocking_connection_test, maps_error_replies_to_server_errors) {
  auto connection = blocking_connection::connect(make_options());
  connection.command({"SET", "text", "x"});
  std::string message;
  EXPECT_EQ(error_of([&] { connection.command({"INCR", "text"}); }, &message), errc::server);
  EXPECT_NE(message.find("ERR"), std::string::npos);
  const script conflict("return redis.error_reply('ERR conflict')");
  EXPECT_EQ(error_of([&] { connection.eval(conflict, {}, {}); }, &message), errc::server);
  EXPECT_NE(message.find("ERR conflict"), std::string::npos);
  EXPECT_EQ(connection.command({"GET", "text"}).as_string(), "x");  // still usable
}

TEST_F(blocking_connection_test, refused_connection_is_a_connection_error) {
  options o;
  o.port = test_support::free_port();
  EXPECT_EQ(error_of([&] { blocking_connection::connect(o); }), errc::connection);
}

TEST_F(blocking_connection_test, command_timeout_is_a_timeout_then_the_connection_is_unusable) {
  options o = make_options();
  o.command_timeout = 200ms;
  auto connection = blocking_connection::connect(o);
  EXPECT_EQ(error_of([&] { connection.command({"BLPOP", "empty", "0"}); }), errc::timeout);
  EXPECT_EQ(error_of([&] { connection.command({"PING"}); }), errc::connection);
}

TEST_F(blocking_connection_test, lost_server_is_a_connection_error) {
  auto connection = blocking_connection::connect(make_options());
  server_.kill();
  EXPECT_EQ(error_of([&] { connection.command({"PING"}); }), errc::connection);
}

TEST(blocking_connection_auth, wrong_password_is_a_server_error) {
  test_support::redis_server_process server({"--requirepass", "s3cret"});
  options o;
  o.port = server.port();
  o.password = "wrong";
  std::string message;
  EXPECT_EQ(error_of([&] { blocking_connection::connect(o); }, &message), errc::server);
  EXPECT_NE(message.find("WRONGPASS"), std::string::npos) << message;
  o.password = "s3cret";
  EXPECT_EQ(blocking_connection::connect(o).command({"PING"}).as_string(), "PONG");
}

}  // namespace
