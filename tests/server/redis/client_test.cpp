#include "redis/client.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <future>
#include <string>
#include <vector>

#include "free_port.hpp"
#include "redis/blocking_connection.hpp"
#include "redis_server_process.hpp"
#include "redis_test_helpers.hpp"

namespace {

using namespace redis_tests;
using helpline::redis::blocking_connection;
using helpline::redis::client;
using helpline::redis::errc;
using helpline::redis::options;
using helpline::redis::reply;
using helpline::redis::script;

class client_test : public ::testing::Test {
 protected:
  options make_options() const {
    options o;
    o.port = server_.port();
    o.reconnect_min = 20ms;
    o.reconnect_max = 200ms;
    return o;
  }

  // A started client, once connected.
  std::shared_ptr<client> connected_client(options o) {
    auto c = client::create(io_.executor(), o);
    c->start();
    EXPECT_TRUE(eventually([&] { return c->connected(); }));
    clients_.push_back(c);
    return c;
  }

  void TearDown() override {
    for (auto& c : clients_) {
      stop_and_drain(c, io_.executor());
    }
  }

  reply call(const std::shared_ptr<client>& c, std::vector<std::string> args) {
    return redis_tests::call(*c, io_.executor(), std::move(args));
  }

  test_support::redis_server_process server_;
  io_threads io_{2};
  std::vector<std::shared_ptr<client>> clients_;
};

TEST_F(client_test, returns_every_reply_kind) {
  auto c = connected_client(make_options());
  const reply status = call(c, {"SET", "greeting", "hello"});
  EXPECT_EQ(status.type, reply::kind::status);
  EXPECT_EQ(status.as_string(), "OK");

  const reply text = call(c, {"GET", "greeting"});
  EXPECT_EQ(text.type, reply::kind::string);
  EXPECT_EQ(text.as_string(), "hello");
  EXPECT_EQ(text.as_optional_string(), "hello");

  const reply missing = call(c, {"GET", "no-such-key"});
  EXPECT_TRUE(missing.is_nil());
  EXPECT_EQ(missing.as_optional_string(), std::nullopt);
  EXPECT_TRUE(missing.as_array().empty());

  const reply counter = call(c, {"INCRBY", "counter", "41"});
  EXPECT_EQ(counter.type, reply::kind::integer);
  EXPECT_EQ(counter.as_integer(), 41);
  EXPECT_EQ(call(c, {"GET", "counter"}).as_integer(), 41);  // a string holding a number

  call(c, {"RPUSH", "list", "a", "b", "c"});
  const reply list = call(c, {"LRANGE", "list", "0", "-1"});
  ASSERT_EQ(list.type, reply::kind::array);
  ASSERT_EQ(list.as_array().size(), 3U);
  EXPECT_EQ(list.as_array()[2].as_string(), "c");
  EXPECT_EQ(error_of([&] { (void)list.as_integer(); }), errc::protocol);
  EXPECT_EQ(error_of([&] { (void)counter.as_string(); }), errc::protocol);

  // Binary-safe both ways: NUL bytes and CRLF inside values.
  const std::string binary("a\0b\r\nc", 6);
  call(c, {"SET", "binary", binary});
  EXPECT_EQ(call(c, {"GET", "binary"}).as_string(), binary);
}

TEST_F(client_test, error_replies_are_server_errors_with_the_message) {
  auto c = connected_client(make_options());
  call(c, {"SET", "text", "x"});
  std::string message;
  EXPECT_EQ(error_of([&] { call(c, {"LPUSH", "text", "y"}); }, &message), errc::server);
  EXPECT_NE(message.find("WRONGTYPE"), std::string::npos) << message;
  EXPECT_EQ(error_of([&] { call(c, {"NO-SUCH-COMMAND"}); }, &message), errc::server);
  EXPECT_NE(message.find("ERR"), std::string::npos) << message;
  // The connection is still good afterwards.
  EXPECT_EQ(call(c, {"GET", "text"}).as_string(), "x");
}

// INCRs its own counter and appends to its own list; returns how many checks failed.
asio::awaitable<int> count_in_order(std::shared_ptr<client> c, int k, int count,
                                    asio::strand<asio::any_io_executor> strand) {
  int problems = 0;
  const std::string counter = "counter:" + std::to_string(k);
  const std::string list = "sequence:" + std::to_string(k);
  for (int i = 0; i < count; ++i) {
    const reply value = co_await c->call("INCR", counter);
    if (!strand.running_in_this_thread()) {
      ++problems;  // must resume on the caller's own strand, not the client's
    }
    if (value.as_integer() != i + 1) {
      ++problems;  // replies out of order for this coroutine
    }
    co_await c->call("RPUSH", list, i);
  }
  co_return problems;
}

TEST_F(client_test, concurrent_coroutines_on_several_threads_keep_order_and_lose_nothing) {
  io_threads callers(4);
  auto c = connected_client(make_options());
  constexpr int coroutines = 8;
  constexpr int per_coroutine = 300;
  std::vector<std::future<int>> results;
  for (int k = 0; k < coroutines; ++k) {
    auto strand = asio::make_strand(callers.executor());
    results.push_back(
        asio::co_spawn(strand, count_in_order(c, k, per_coroutine, strand), asio::use_future));
  }
  for (auto& r : results) {
    ASSERT_EQ(r.wait_for(hang_limit), std::future_status::ready);
    EXPECT_EQ(r.get(), 0);
  }
  for (int k = 0; k < coroutines; ++k) {
    const reply list = call(c, {"LRANGE", "sequence:" + std::to_string(k), "0", "-1"});
    ASSERT_EQ(list.as_array().size(), static_cast<std::size_t>(per_coroutine));
    for (int i = 0; i < per_coroutine; ++i) {
      ASSERT_EQ(list.as_array()[i].as_string(), std::to_string(i));
    }
  }
  EXPECT_EQ(c->pending(), 0U);
}

TEST_F(client_test, resumes_the_caller_on_its_own_io_context) {
  io_threads other(1);
  auto c = connected_client(make_options());  // runs on io_
  const bool on_caller_context = run_fn(other.executor(), [&]() -> asio::awaitable<bool> {
    co_await c->call("PING");
    co_return other.context().get_executor().running_in_this_thread();
  });
  EXPECT_TRUE(on_caller_context);
}

TEST_F(client_test, pipeline_returns_replies_in_order_with_errors_in_place) {
  auto c = connected_client(make_options());
  const std::vector<reply> replies = run(io_.executor(), c->pipeline({{"SET", "p", "1"},
                                                                      {"INCR", "p"},
                                                                      {"LPUSH", "p", "x"},
                                                                      {"GET", "p"},
                                                                      {"GET", "missing"}}));
  ASSERT_EQ(replies.size(), 5U);
  EXPECT_EQ(replies[0].as_string(), "OK");
  EXPECT_EQ(replies[1].as_integer(), 2);
  EXPECT_TRUE(replies[2].is_error());
  std::string message;
  EXPECT_EQ(error_of([&] { (void)replies[2].as_integer(); }, &message), errc::server);
  EXPECT_NE(message.find("WRONGTYPE"), std::string::npos);
  EXPECT_EQ(replies[3].as_string(), "2");
  EXPECT_TRUE(replies[4].is_nil());
  EXPECT_TRUE(run(io_.executor(), c->pipeline({})).empty());
}

TEST_F(client_test, script_sha1_matches_redis) {
  auto c = connected_client(make_options());
  const script s("return redis.call('GET', KEYS[1])");
  EXPECT_EQ(call(c, {"SCRIPT", "LOAD", s.source()}).as_string(), s.sha1());
}

TEST_F(client_test, eval_falls_back_to_eval_after_script_flush) {
  auto c = connected_client(make_options());
  const script add("return redis.call('INCRBY', KEYS[1], ARGV[1])");
  auto cached = [&] {
    return call(c, {"SCRIPT", "EXISTS", add.sha1()}).as_array().at(0).as_integer() == 1;
  };
  EXPECT_FALSE(cached());
  EXPECT_EQ(run(io_.executor(), c->eval(add, {"total"}, {"5"})).as_integer(), 5);
  EXPECT_TRUE(cached());  // EVAL cached it, so the next call is a plain EVALSHA
  EXPECT_EQ(run(io_.executor(), c->eval(add, {"total"}, {"1"})).as_integer(), 6);
  call(c, {"SCRIPT", "FLUSH"});
  EXPECT_FALSE(cached());
  EXPECT_EQ(run(io_.executor(), c->eval(add, {"total"}, {"4"})).as_integer(), 10);
  EXPECT_TRUE(cached());
}

TEST_F(client_test, script_errors_keep_their_text) {
  auto c = connected_client(make_options());
  const script conflict("return redis.error_reply('ERR conflict')");
  std::string message;
  EXPECT_EQ(error_of([&] { run(io_.executor(), c->eval(conflict, {}, {})); }, &message),
            errc::server);
  EXPECT_NE(message.find("ERR conflict"), std::string::npos) << message;
}

TEST_F(client_test, connection_refused_fails_fast_with_connection_error) {
  options o;
  o.port = test_support::free_port();  // nothing listens there
  o.command_timeout = std::chrono::minutes(10);
  o.connect_timeout = std::chrono::minutes(10);
  auto c = client::create(io_.executor(), o);
  c->start();
  EXPECT_EQ(error_of([&] { call(c, {"PING"}); }), errc::connection);
  EXPECT_FALSE(c->connected());
  stop_and_drain(c, io_.executor());
}

TEST_F(client_test, server_killed_mid_flight_fails_pending_then_reconnects) {
  std::atomic<int> connections{0};
  auto c = client::create(io_.executor(), make_options());
  c->on_connected([&] { ++connections; });
  c->start();
  clients_.push_back(c);
  // connected() turns true just before on_connected runs: wait for both.
  ASSERT_TRUE(eventually([&] { return c->connected() && connections.load() >= 1; }));
  EXPECT_EQ(connections.load(), 1);
  call(c, {"SET", "kept", "before crash"});

  // BLPOP on an empty list never answers: it is in flight when the server dies.
  auto blocked =
      asio::co_spawn(io_.executor(), c->command({"BLPOP", "empty", "0"}), asio::use_future);
  ASSERT_TRUE(eventually([&] { return c->pending() == 1; }));
  server_.kill();
  ASSERT_EQ(blocked.wait_for(hang_limit), std::future_status::ready);
  EXPECT_EQ(error_of([&] { blocked.get(); }), errc::connection);

  // While the server is down commands fail at once instead of queueing.
  EXPECT_EQ(error_of([&] { call(c, {"PING"}); }), errc::connection);

  server_.start();
  ASSERT_TRUE(eventually([&] { return connections.load() == 2 && c->connected(); }));
  EXPECT_EQ(call(c, {"GET", "kept"}).as_string(), "before crash");  // appendfsync always
  EXPECT_EQ(call(c, {"PING"}).as_string(), "PONG");
}

TEST_F(client_test, eval_works_after_a_server_restart) {
  auto c = connected_client(make_options());
  const script add("return redis.call('INCRBY', KEYS[1], ARGV[1])");
  EXPECT_EQ(run(io_.executor(), c->eval(add, {"total"}, {"5"})).as_integer(), 5);
  server_.restart();
  ASSERT_TRUE(eventually([&] { return !error_of([&] { call(c, {"PING"}); }).has_value(); }));
  EXPECT_EQ(call(c, {"SCRIPT", "EXISTS", add.sha1()}).as_array().at(0).as_integer(), 0);
  EXPECT_EQ(run(io_.executor(), c->eval(add, {"total"}, {"5"})).as_integer(), 10);
}

TEST_F(client_test, command_timeout_resets_the_connection_and_recovers) {
  options o = make_options();
  o.command_timeout = 300ms;
  auto c = connected_client(o);
  auto blocked =
      asio::co_spawn(io_.executor(), c->command({"BLPOP", "empty", "0"}), asio::use_future);
  ASSERT_TRUE(eventually([&] { return c->pending() >= 1; }));
  auto behind = asio::co_spawn(io_.executor(), c->command({"GET", "x"}), asio::use_future);
  ASSERT_EQ(blocked.wait_for(hang_limit), std::future_status::ready);
  EXPECT_EQ(error_of([&] { blocked.get(); }), errc::timeout);
  ASSERT_EQ(behind.wait_for(hang_limit), std::future_status::ready);
  const auto behind_error = error_of([&] { behind.get(); });
  EXPECT_TRUE(behind_error == errc::connection || behind_error == errc::timeout);
  ASSERT_TRUE(eventually([&] { return c->connected(); }));
  EXPECT_EQ(call(c, {"PING"}).as_string(), "PONG");
  EXPECT_EQ(c->pending(), 0U);
}

TEST_F(client_test, paused_server_times_out_then_recovers) {
  options o = make_options();
  o.command_timeout = 200ms;
  o.connect_timeout = 300ms;
  auto c = connected_client(o);
  auto admin = blocking_connection::connect(make_options());
  admin.command({"CLIENT", "PAUSE", "1500", "ALL"});
  EXPECT_EQ(error_of([&] { call(c, {"GET", "x"}); }), errc::timeout);
  // Reconnects (connect attempts time out while paused) and works once the pause ends.
  EXPECT_TRUE(eventually([&] { return !error_of([&] { call(c, {"GET", "x"}); }).has_value(); }));
}

TEST_F(client_test, stopped_server_process_times_out_then_recovers) {
  options o = make_options();
  o.command_timeout = 200ms;
  o.connect_timeout = 300ms;
  auto c = connected_client(o);
  server_.pause();  // SIGSTOP: TCP still accepted by the kernel, nothing answered
  EXPECT_EQ(error_of([&] { call(c, {"PING"}); }), errc::timeout);
  // Reconnect attempts now fail (connect timeout) and commands fail fast meanwhile.
  EXPECT_TRUE(eventually([&] { return error_of([&] { call(c, {"PING"}); }) == errc::connection; }));
  server_.resume();
  EXPECT_TRUE(eventually([&] { return !error_of([&] { call(c, {"PING"}); }).has_value(); }));
}

TEST_F(client_test, too_many_pending_commands_are_refused_as_overloaded) {
  options o = make_options();
  o.max_pending = 4;
  auto c = connected_client(o);
  std::vector<std::future<reply>> in_flight;
  // BLPOP blocks the connection server-side, so the GETs behind it stay in flight too.
  in_flight.push_back(
      asio::co_spawn(io_.executor(), c->command({"BLPOP", "queue", "0"}), asio::use_future));
  ASSERT_TRUE(eventually([&] { return c->pending() == 1; }));
  for (int i = 0; i < 3; ++i) {
    in_flight.push_back(asio::co_spawn(io_.executor(), c->command({"GET", "k"}), asio::use_future));
  }
  ASSERT_TRUE(eventually([&] { return c->pending() == 4; }));
  EXPECT_EQ(error_of([&] { call(c, {"PING"}); }), errc::overloaded);
  EXPECT_EQ(error_of([&] { run(io_.executor(), c->pipeline({{"PING"}})); }), errc::overloaded);

  auto admin = blocking_connection::connect(make_options());
  admin.command({"LPUSH", "queue", "item"});
  for (auto& f : in_flight) {
    ASSERT_EQ(f.wait_for(hang_limit), std::future_status::ready);
  }
  EXPECT_EQ(in_flight[0].get().as_array().at(1).as_string(), "item");
  EXPECT_TRUE(in_flight[1].get().is_nil());
  EXPECT_EQ(call(c, {"PING"}).as_string(), "PONG");
}

TEST_F(client_test, stop_fails_pending_commands_with_closed) {
  auto c = client::create(io_.executor(), make_options());
  c->start();
  ASSERT_TRUE(eventually([&] { return c->connected(); }));
  auto blocked =
      asio::co_spawn(io_.executor(), c->command({"BLPOP", "empty", "0"}), asio::use_future);
  ASSERT_TRUE(eventually([&] { return c->pending() == 1; }));
  c->stop();
  ASSERT_EQ(blocked.wait_for(hang_limit), std::future_status::ready);
  EXPECT_EQ(error_of([&] { blocked.get(); }), errc::closed);
  EXPECT_EQ(error_of([&] { call(c, {"PING"}); }), errc::closed);
  EXPECT_FALSE(c->connected());
}

TEST_F(client_test, commands_before_start_fail_with_connection) {
  auto c = client::create(io_.executor(), make_options());
  EXPECT_EQ(error_of([&] { call(c, {"PING"}); }), errc::connection);
  stop_and_drain(c, io_.executor());
}

class client_auth_test : public ::testing::Test {
 protected:
  test_support::redis_server_process server_{{"--requirepass", "s3cret"}};
  io_threads io_{1};
};

TEST_F(client_auth_test, authenticates_and_selects_the_database) {
  options o;
  o.port = server_.port();
  o.password = "s3cret";
  o.db = 2;
  auto c = client::create(io_.executor(), o);
  c->start();
  ASSERT_TRUE(eventually([&] { return c->connected(); }));
  call(*c, io_.executor(), {"SET", "where", "db2"});
  stop_and_drain(c, io_.executor());

  auto in_db2 = blocking_connection::connect(o);
  EXPECT_EQ(in_db2.command({"GET", "where"}).as_string(), "db2");
  o.db = 0;
  auto in_db0 = blocking_connection::connect(o);
  EXPECT_TRUE(in_db0.command({"GET", "where"}).is_nil());
}

TEST_F(client_auth_test, wrong_password_never_connects) {
  options o;
  o.port = server_.port();
  o.password = "wrong";
  o.reconnect_min = 20ms;
  o.reconnect_max = 50ms;
  auto c = client::create(io_.executor(), o);
  // Several attempts reach the server and are refused...
  options admin_options = o;
  admin_options.password = "s3cret";
  auto admin = blocking_connection::connect(admin_options);
  auto connections_received = [&] {
    const std::string info = admin.command({"INFO", "stats"}).as_string();
    const auto at = info.find("total_connections_received:");
    return std::stoll(info.substr(at + std::string("total_connections_received:").size()));
  };
  const long long before = connections_received();
  c->start();
  ASSERT_TRUE(eventually([&] { return connections_received() >= before + 3; }));
  // ...and none counts as connected.
  EXPECT_FALSE(c->connected());
  EXPECT_EQ(error_of([&] { call(*c, io_.executor(), {"PING"}); }), errc::connection);
  stop_and_drain(c, io_.executor());
}

}  // namespace
