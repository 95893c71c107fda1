#include "redis/subscriber.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "redis/blocking_connection.hpp"
#include "redis_server_process.hpp"
#include "redis_test_helpers.hpp"

namespace {

using namespace redis_tests;
using helpline::redis::blocking_connection;
using helpline::redis::errc;
using helpline::redis::options;
using helpline::redis::subscriber;

class subscriber_test : public ::testing::Test {
 protected:
  options make_options() const {
    options o;
    o.port = server_.port();
    o.reconnect_min = 20ms;
    o.reconnect_max = 200ms;
    return o;
  }

  void SetUp() override {
    sub_ = subscriber::create(io_.executor(), make_options());
    sub_->on_message([this](std::string_view channel, std::string_view payload) {
      std::lock_guard lock(mutex_);
      received_.emplace_back(channel, payload);
    });
    sub_->on_resubscribed([this] { ++resubscribed_; });
  }

  void TearDown() override {
    sub_->stop();
    // Wait until the stop has run on the strand (connected() goes false and stays so).
    EXPECT_TRUE(eventually([&] { return !sub_->connected(); }));
  }

  std::vector<std::pair<std::string, std::string>> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

  std::size_t received_count() { return received().size(); }

  long long publish(const std::string& channel, const std::string& payload) {
    return publisher().command({"PUBLISH", channel, payload}).as_integer();
  }

  long long subscribers_of(const std::string& channel) {
    return publisher().command({"PUBSUB", "NUMSUB", channel}).as_array().at(1).as_integer();
  }

  blocking_connection& publisher() {
    if (!publisher_) {
      publisher_.emplace(blocking_connection::connect(make_options()));
    }
    return *publisher_;
  }

  test_support::redis_server_process server_;
  io_threads io_{2};
  std::shared_ptr<subscriber> sub_;
  std::mutex mutex_;
  std::vector<std::pair<std::string, std::string>> received_;
  std::atomic<int> resubscribed_{0};
  std::optional<blocking_connection> publisher_;
};

TEST_F(subscriber_test, receives_messages_on_channels_and_patterns_in_order) {
  sub_->subscribe("alerts");
  sub_->psubscribe("conversation.*");
  sub_->start();
  ASSERT_TRUE(eventually([&] { return resubscribed_.load() == 1 && sub_->connected(); }));

  EXPECT_EQ(publish("alerts", "first"), 1);
  EXPECT_EQ(publish("conversation.42", "second"), 1);
  const std::string binary("x\0y\r\n", 5);
  EXPECT_EQ(publish("alerts", binary), 1);
  ASSERT_TRUE(eventually([&] { return received_count() == 3; }));
  const auto messages = received();
  EXPECT_EQ(messages[0], std::make_pair(std::string("alerts"), std::string("first")));
  // For a pattern subscription the handler gets the channel the message was published to.
  EXPECT_EQ(messages[1], std::make_pair(std::string("conversation.42"), std::string("second")));
  EXPECT_EQ(messages[2].second, binary);
}

TEST_F(subscriber_test, subscribes_while_connected) {
  sub_->start();
  ASSERT_TRUE(eventually([&] { return resubscribed_.load() == 1; }));  // nothing to subscribe yet
  sub_->subscribe("late");
  ASSERT_TRUE(eventually([&] { return subscribers_of("late") == 1; }));
  EXPECT_EQ(publish("late", "hello"), 1);
  ASSERT_TRUE(eventually([&] { return received_count() == 1; }));
  EXPECT_EQ(received()[0].second, "hello");
}

TEST_F(subscriber_test, unsubscribed_channels_receive_nothing) {
  sub_->subscribe("kept");
  sub_->subscribe("dropped");
  sub_->start();
  ASSERT_TRUE(eventually([&] { return sub_->connected(); }));
  sub_->unsubscribe("dropped");
  ASSERT_TRUE(eventually([&] { return subscribers_of("dropped") == 0; }));
  EXPECT_EQ(publish("dropped", "lost"), 0);
  EXPECT_EQ(publish("kept", "marker"), 1);
  // Messages arrive in order on one connection: once the marker is here, "lost" never will be.
  ASSERT_TRUE(eventually([&] { return received_count() == 1; }));
  EXPECT_EQ(received()[0], std::make_pair(std::string("kept"), std::string("marker")));
}

TEST_F(subscriber_test, resubscribes_after_a_redis_restart_and_reports_it) {
  sub_->subscribe("alerts");
  sub_->psubscribe("conversation.*");
  sub_->start();
  ASSERT_TRUE(eventually([&] { return resubscribed_.load() == 1; }));
  server_.restart();
  publisher_.reset();
  ASSERT_TRUE(eventually([&] { return resubscribed_.load() == 2 && sub_->connected(); }));
  EXPECT_EQ(publish("alerts", "after restart"), 1);
  EXPECT_EQ(publish("conversation.7", "pattern after restart"), 1);
  ASSERT_TRUE(eventually([&] { return received_count() == 2; }));
  EXPECT_EQ(received()[0].second, "after restart");
  EXPECT_EQ(received()[1].first, "conversation.7");
}

TEST_F(subscriber_test, subscriptions_made_while_down_apply_on_reconnect) {
  sub_->subscribe("alerts");
  sub_->start();
  ASSERT_TRUE(eventually([&] { return resubscribed_.load() == 1; }));
  server_.kill();
  publisher_.reset();
  ASSERT_TRUE(eventually([&] { return !sub_->connected(); }));
  sub_->subscribe("while-down");
  server_.start();
  ASSERT_TRUE(eventually([&] { return resubscribed_.load() == 2; }));
  EXPECT_EQ(publish("while-down", "hello"), 1);
  EXPECT_EQ(publish("alerts", "again"), 1);
  ASSERT_TRUE(eventually([&] { return received_count() == 2; }));
}

TEST_F(subscriber_test, too_many_subscriptions_are_refused) {
  for (std::size_t i = 0; i < subscriber::max_subscriptions; ++i) {
    sub_->subscribe("channel:" + std::to_string(i));
  }
  EXPECT_EQ(error_of([&] { sub_->subscribe("one-too-many"); }), errc::overloaded);
  sub_->subscribe("channel:0");  // already remembered: not a new subscription
  sub_->start();
  ASSERT_TRUE(eventually([&] { return sub_->connected(); }));
  EXPECT_EQ(subscribers_of("channel:9999"), 1);
  EXPECT_EQ(subscribers_of("one-too-many"), 0);
}

}  // namespace
