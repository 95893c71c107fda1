// The lifecycle shared by client and subscriber, against real redis-server processes: handshake,
// typed handshake failures, backoff bounds, owner setup within connect_timeout, reset, stop during
// backoff, and reconnection after the server is killed and started again.
#include "redis/reconnecting_connection.hpp"

#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "free_port.hpp"
#include "redis/blocking_connection.hpp"
#include "redis/reply.hpp"
#include "redis_server_process.hpp"
#include "redis_test_helpers.hpp"

namespace {

using namespace redis_tests;
using helpline::redis::blocking_connection;
using helpline::redis::errc;
using helpline::redis::error;
using helpline::redis::options;
using helpline::redis::reconnecting_connection;
using helpline::redis::reply;
using state = reconnecting_connection::state;
using steady = std::chrono::steady_clock;

// An owner that records everything the connection tells it. It marks the connection ready as soon
// as the handshake is answered, except for the first `hold_setups` attempts, where it never does
// (standing for a subscriber whose confirmations do not come).
class recording_owner final : public reconnecting_connection::owner {
 public:
  struct transition {
    steady::time_point at;
    state to;
  };

  static std::shared_ptr<recording_owner> make(asio::any_io_executor ex, options o,
                                               int hold_setups = 0) {
    auto self = std::make_shared<recording_owner>(std::move(ex), std::move(o), hold_setups);
    self->link->set_owner(self);
    self->link->on_state_change([weak = std::weak_ptr<recording_owner>(self)](state s) {
      if (auto alive = weak.lock()) {
        std::lock_guard lock(alive->mutex_);
        alive->transitions_.push_back({steady::now(), s});
      }
    });
    return self;
  }

  recording_owner(asio::any_io_executor ex, options o, int hold_setups)
      : strand(asio::make_strand(std::move(ex))),
        link(reconnecting_connection::create(strand, std::move(o), "redis test")),
        hold_setups_(hold_setups) {}

  // Runs `f` on the connection's strand (where its strand-only members may be called) and
  // returns its result.
  template <typename F>
  auto on_strand(F f) -> decltype(f()) {
    // Wrapped: Asio would take a bare packaged_task for a completion token.
    auto task = std::make_shared<std::packaged_task<decltype(f())()>>(std::move(f));
    auto result = task->get_future();
    asio::post(strand, [task] { (*task)(); });
    if (result.wait_for(hang_limit) != std::future_status::ready) {
      throw std::runtime_error("strand task did not run (hang)");
    }
    return result.get();
  }

  int established() const { return established_.load(); }
  int ready() const { return ready_.load(); }
  std::vector<error> downs() const {
    std::lock_guard lock(mutex_);
    return downs_;
  }
  std::vector<transition> transitions() const {
    std::lock_guard lock(mutex_);
    return transitions_;
  }
  int attempts() const {
    int count = 0;
    for (const auto& t : transitions()) {
      count += t.to == state::connecting ? 1 : 0;
    }
    return count;
  }
  std::vector<std::pair<std::uint64_t, reply>> replies() const {
    std::lock_guard lock(mutex_);
    return replies_;
  }

  reconnecting_connection::strand_type strand;
  std::shared_ptr<reconnecting_connection> link;

 private:
  void on_established() override {
    if (++established_ > hold_setups_) {
      link->mark_ready();
    }
  }
  void on_ready() override { ++ready_; }
  void on_down(const error& why) override {
    std::lock_guard lock(mutex_);
    downs_.push_back(why);
  }
  void on_reply(const redisReply* r, std::uint64_t tag) noexcept override {
    if (r != nullptr) {
      std::lock_guard lock(mutex_);
      replies_.emplace_back(tag, reply::from_hiredis(*r));
    }
  }

  const int hold_setups_;
  std::atomic<int> established_{0};
  std::atomic<int> ready_{0};
  mutable std::mutex mutex_;
  std::vector<error> downs_;
  std::vector<transition> transitions_;
  std::vector<std::pair<std::uint64_t, reply>> replies_;
};

class reconnecting_connection_test : public ::testing::Test {
 protected:
  options make_options(std::uint16_t port) const {
    options o;
    o.port = port;
    o.reconnect_min = 20ms;
    o.reconnect_max = 200ms;
    return o;
  }

  std::shared_ptr<recording_owner> make(options o, int hold_setups = 0) {
    owners_.push_back(recording_owner::make(io_.executor(), std::move(o), hold_setups));
    return owners_.back();
  }

  void TearDown() override {
    for (auto& o : owners_) {
      if (!o->link) {
        continue;  // the test dropped it
      }
      o->link->stop();
      EXPECT_TRUE(eventually([&] { return o->link->current_state() == state::stopped; }));
    }
  }

  test_support::redis_server_process server_;
  io_threads io_{2};
  std::vector<std::shared_ptr<recording_owner>> owners_;
};

TEST_F(reconnecting_connection_test, handshakes_becomes_ready_and_carries_the_owners_commands) {
  auto o = make(make_options(server_.port()));
  EXPECT_EQ(o->link->current_state(), state::idle);
  o->link->start();
  // The state becomes ready on the connection's strand just before it calls on_ready: wait for
  // the call too, not only the state (this thread can see one without the other).
  ASSERT_TRUE(eventually([&] { return o->link->current_state() == state::ready && o->ready() == 1; }));
  EXPECT_EQ(o->established(), 1);
  EXPECT_EQ(o->ready(), 1);
  EXPECT_FALSE(o->link->last_error().has_value());
  const auto transitions = o->transitions();
  ASSERT_EQ(transitions.size(), 2U);
  EXPECT_EQ(transitions[0].to, state::connecting);
  EXPECT_EQ(transitions[1].to, state::ready);

  // Replies reach the owner with the tag it gave.
  EXPECT_TRUE(o->on_strand([&] { return o->link->established(); }));
  EXPECT_TRUE(o->on_strand([&] { return o->link->send({"PING"}, 7); }));
  ASSERT_TRUE(eventually([&] { return o->replies().size() == 1; }));
  EXPECT_EQ(o->replies()[0].first, 7U);
  EXPECT_EQ(o->replies()[0].second.as_string(), "PONG");
}

TEST_F(reconnecting_connection_test, start_twice_connects_once) {
  auto o = make(make_options(server_.port()));
  o->link->start();
  o->link->start();
  ASSERT_TRUE(eventually([&] { return o->ready() == 1; }));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(o->attempts(), 1);
}

TEST_F(reconnecting_connection_test, refused_connections_back_off_doubling_within_bounds) {
  options o = make_options(test_support::free_port());  // nothing listens there
  o.reconnect_min = 50ms;
  o.reconnect_max = 200ms;
  auto owner = make(o);
  owner->link->start();
  constexpr std::size_t wanted = 8;
  std::vector<std::chrono::milliseconds> delays;
  ASSERT_TRUE(eventually([&] {
    delays.clear();
    const auto t = owner->transitions();
    for (std::size_t i = 0; i + 1 < t.size(); ++i) {
      if (t[i].to == state::backing_off && t[i + 1].to == state::connecting) {
        delays.push_back(
            std::chrono::duration_cast<std::chrono::milliseconds>(t[i + 1].at - t[i].at));
      }
    }
    return delays.size() >= wanted;
  }));
  EXPECT_EQ(owner->ready(), 0);
  for (std::size_t k = 0; k < wanted; ++k) {
    const long long base = std::min<long long>(50LL << k, 200);
    // Timers never fire early: the lower bound is exact.
    EXPECT_GE(delays[k].count(), base - base / 5) << "delay " << k;
    // The upper bound allows for a busy machine, yet would catch a delay that kept doubling past
    // reconnect_max (the 6th would be 1600 ms).
    EXPECT_LE(delays[k].count(), base + base / 5 + 1000) << "delay " << k;
  }
  for (const error& why : owner->downs()) {
    EXPECT_EQ(why.code(), errc::connection) << why.what();
  }
  ASSERT_TRUE(owner->link->last_error().has_value());
  EXPECT_EQ(owner->link->last_error()->code(), errc::connection);
}

TEST_F(reconnecting_connection_test, stop_during_backoff_is_immediate_and_final) {
  options o = make_options(test_support::free_port());
  o.reconnect_min = 10s;  // the next attempt would be 8 to 12 s away
  o.reconnect_max = 10s;
  auto owner = make(o);
  owner->link->start();
  ASSERT_TRUE(eventually([&] { return owner->link->current_state() == state::backing_off; }));
  const auto stopping = steady::now();
  owner->link->stop();
  ASSERT_TRUE(eventually([&] { return owner->link->current_state() == state::stopped; }));
  EXPECT_LT(steady::now() - stopping, 5s);  // not after the delay
  ASSERT_FALSE(owner->downs().empty());
  EXPECT_EQ(owner->downs().back().code(), errc::closed);
  EXPECT_EQ(owner->link->last_error()->code(), errc::closed);

  // The backoff timer was cancelled rather than left to fire: nothing holds the connection now.
  std::weak_ptr<reconnecting_connection> weak = owner->link;
  owner->link->start();  // final: ignored
  owner->link.reset();
  EXPECT_TRUE(eventually([&] { return weak.expired(); }, 5s));
  EXPECT_EQ(owner->attempts(), 1);
}

TEST_F(reconnecting_connection_test, stop_while_ready_closes_the_connection_and_reports_closed) {
  auto o = make(make_options(server_.port()));
  o->link->start();
  ASSERT_TRUE(eventually([&] { return o->ready() == 1; }));
  auto admin = blocking_connection::connect(make_options(server_.port()));
  auto clients = [&] {
    const std::string info = admin.command({"INFO", "clients"}).as_string();
    const std::string key = "connected_clients:";
    return std::stoi(info.substr(info.find(key) + key.size()));
  };
  EXPECT_EQ(clients(), 2);
  o->link->stop();
  ASSERT_TRUE(eventually([&] { return o->link->current_state() == state::stopped; }));
  EXPECT_TRUE(eventually([&] { return clients() == 1; }));
  ASSERT_EQ(o->downs().size(), 1U);
  EXPECT_EQ(o->downs()[0].code(), errc::closed);
  EXPECT_FALSE(o->on_strand([&] { return o->link->send({"PING"}, 1); }));
  o->link->start();
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(o->link->current_state(), state::stopped);
  EXPECT_EQ(o->attempts(), 1);
}

TEST_F(reconnecting_connection_test, reconnects_after_the_server_is_killed_and_started_again) {
  auto o = make(make_options(server_.port()));
  o->link->start();
  ASSERT_TRUE(eventually([&] { return o->ready() == 1; }));

  server_.kill();
  ASSERT_TRUE(eventually([&] { return !o->downs().empty(); }));
  EXPECT_EQ(o->downs()[0].code(), errc::connection) << o->downs()[0].what();
  // While the server is down, attempts keep failing (refused) and none is ready.
  ASSERT_TRUE(eventually([&] { return o->downs().size() >= 3; }));
  EXPECT_NE(o->link->current_state(), state::ready);
  EXPECT_EQ(o->ready(), 1);
  EXPECT_FALSE(o->on_strand([&] { return o->link->send({"PING"}, 1); }));

  server_.start();
  ASSERT_TRUE(eventually([&] { return o->ready() == 2; }));
  EXPECT_EQ(o->link->current_state(), state::ready);
  EXPECT_TRUE(o->on_strand([&] { return o->link->send({"PING"}, 2); }));
  ASSERT_TRUE(eventually([&] { return o->replies().size() == 1; }));
  EXPECT_EQ(o->replies()[0].second.as_string(), "PONG");
}

TEST_F(reconnecting_connection_test, unanswered_handshake_times_out_then_recovers) {
  options opts = make_options(server_.port());
  opts.connect_timeout = 200ms;
  server_.pause();  // SIGSTOP: the kernel accepts TCP, nothing answers
  auto o = make(opts);
  o->link->start();
  ASSERT_TRUE(eventually([&] { return o->downs().size() >= 2; }));
  EXPECT_EQ(o->downs()[0].code(), errc::connection);
  EXPECT_EQ(o->downs()[0].detail(), "connect timeout");
  EXPECT_EQ(o->established(), 0);
  server_.resume();
  EXPECT_TRUE(eventually([&] { return o->ready() == 1; }));
}

TEST_F(reconnecting_connection_test, owner_setup_counts_against_connect_timeout) {
  options opts = make_options(server_.port());
  opts.connect_timeout = 300ms;
  auto o = make(opts, /*hold_setups=*/1);  // the first attempt never finishes its setup
  o->link->start();
  ASSERT_TRUE(eventually([&] { return o->ready() == 1; }));
  EXPECT_EQ(o->established(), 2);
  ASSERT_EQ(o->downs().size(), 1U);
  EXPECT_EQ(o->downs()[0].code(), errc::connection);
  EXPECT_EQ(o->downs()[0].detail(), "connect timeout");
}

TEST_F(reconnecting_connection_test, reset_drops_the_connection_with_the_owners_reason) {
  auto o = make(make_options(server_.port()));
  o->link->start();
  ASSERT_TRUE(eventually([&] { return o->ready() == 1; }));
  const std::uint64_t first_attempt = o->on_strand([&] { return o->link->attempt(); });
  o->on_strand([&] { o->link->reset(error(errc::timeout, "no reply in time")); });
  ASSERT_EQ(o->downs().size(), 1U);
  EXPECT_EQ(o->downs()[0].code(), errc::timeout);
  EXPECT_EQ(o->downs()[0].detail(), "no reply in time");
  ASSERT_TRUE(eventually([&] { return o->ready() == 2; }));
  EXPECT_NE(o->on_strand([&] { return o->link->attempt(); }), first_attempt);
}

class reconnecting_connection_auth_test : public reconnecting_connection_test {
 protected:
  test_support::redis_server_process secured_{{"--requirepass", "s3cret"}};
};

TEST_F(reconnecting_connection_auth_test, wrong_password_is_a_server_error_and_is_retried) {
  options o = make_options(secured_.port());
  o.password = "wrong";
  auto owner = make(o);
  owner->link->start();
  ASSERT_TRUE(eventually([&] { return owner->downs().size() >= 3; }));
  EXPECT_EQ(owner->established(), 0);
  EXPECT_EQ(owner->ready(), 0);
  for (const error& why : owner->downs()) {
    EXPECT_EQ(why.code(), errc::server);
    EXPECT_NE(why.detail().find("WRONGPASS"), std::string::npos) << why.detail();
  }
  const std::optional<error> last = owner->link->last_error();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->code(), errc::server);
}

TEST_F(reconnecting_connection_auth_test, right_password_and_database_become_ready) {
  options o = make_options(secured_.port());
  o.password = "s3cret";
  o.db = 3;
  auto owner = make(o);
  owner->link->start();
  ASSERT_TRUE(eventually([&] { return owner->ready() == 1; }));
  EXPECT_TRUE(owner->on_strand([&] { return owner->link->send({"SET", "where", "db3"}, 1); }));
  ASSERT_TRUE(eventually([&] { return owner->replies().size() == 1; }));
  auto db3 = blocking_connection::connect(o);
  EXPECT_EQ(db3.command({"GET", "where"}).as_string(), "db3");
}

TEST_F(reconnecting_connection_test, bad_database_index_is_a_server_error) {
  options o = make_options(server_.port());
  o.db = 100000;  // redis-server has 16 databases by default
  auto owner = make(o);
  owner->link->start();
  ASSERT_TRUE(eventually([&] { return !owner->downs().empty(); }));
  EXPECT_EQ(owner->downs()[0].code(), errc::server);
  EXPECT_NE(owner->downs()[0].detail().find("DB index"), std::string::npos)
      << owner->downs()[0].detail();
  EXPECT_EQ(owner->ready(), 0);
}

}  // namespace
