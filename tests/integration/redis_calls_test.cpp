// What the server asks of Redis, watched with MONITOR on the test's own redis-server: one visitor
// message (stored, risk merged and raised, queue re-scored, statistics counted, published) is one
// script call, and nothing else writes for it.
#include <gtest/gtest.h>
#include <hiredis/hiredis.h>

#include <sys/socket.h>

#include <mutex>
#include <thread>

#include "app/keys.hpp"
#include "app/redis_scripts.hpp"
#include "conversation_steps.hpp"
#include "helpline_fixture.hpp"
#include "json_frames.hpp"
#include "redis/blocking_connection.hpp"

namespace integration {
namespace {

using namespace test_support;

// Every command Redis runs, as MONITOR prints it, collected on a thread.
class redis_monitor {
 public:
  explicit redis_monitor(std::uint16_t port) {
    context_ = redisConnect("127.0.0.1", port);
    if (!context_ || context_->err) throw std::runtime_error("cannot connect to redis for MONITOR");
    freeReplyObject(redisCommand(context_, "MONITOR"));
    reader_ = std::thread([this] {
      while (true) {
        void* reply = nullptr;
        if (redisGetReply(context_, &reply) != REDIS_OK) return;  // shut down by the destructor
        auto* r = static_cast<redisReply*>(reply);
        if (r->type == REDIS_REPLY_STATUS) {
          std::lock_guard lock(mutex_);
          lines_.emplace_back(r->str, r->len);
        }
        freeReplyObject(r);
      }
    });
  }
  ~redis_monitor() {
    ::shutdown(context_->fd, SHUT_RDWR);  // ends the reader's blocking read
    reader_.join();
    redisFree(context_);
  }
  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  redisContext* context_ = nullptr;
  std::mutex mutex_;
  std::vector<std::string> lines_;
  std::thread reader_;
};

class redis_calls : public helpline_test {};

bool contains(const std::string& line, const std::string& what) { return line.find(what) != std::string::npos; }

TEST_F(redis_calls, one_visitor_message_is_one_script_call) {
  helpline_process& node = start_node();
  ws_client& visitor = client("visitor");
  const visitor_conversation c = connect_and_start(visitor, node.port());
  visitor_says(visitor, "v-1", "hello");  // the script is loaded now (a first EVALSHA may be NOSCRIPT)

  helpline::redis::options options;
  options.host = "127.0.0.1";
  options.port = redis().port();
  auto direct = helpline::redis::blocking_connection::connect(options);
  std::vector<std::string> window;
  {
    redis_monitor monitor(redis().port());
    direct.command({"ECHO", "window-start"});
    visitor_says(visitor, "v-2", "I choked him last night.");
    direct.command({"ECHO", "window-end"});
    for (int i = 0; i < 50 && !contains(monitor.lines().empty() ? "" : monitor.lines().back(), "window-end"); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    bool inside = false;
    for (const auto& line : monitor.lines()) {
      if (contains(line, "window-start")) inside = true;
      if (contains(line, "window-end")) break;
      if (inside) window.push_back(line);
    }
  }
  ASSERT_FALSE(window.empty()) << "MONITOR saw nothing";

  const auto& s = helpline::redis_scripts::get();
  int message_scripts = 0, other_scripts = 0;
  std::string seen;
  for (const auto& line : window) {
    seen += line + "\n";
    if (contains(line, " lua]")) continue;  // run by a script
    const bool script = contains(line, "\"EVALSHA\"") || contains(line, "\"EVAL\"");
    if (script && contains(line, s.visitor_message.sha1())) {
      ++message_scripts;
    } else if (script && !contains(line, s.route.sha1())) {
      ++other_scripts;  // the router's tick runs on its own and may fall in the window
    } else if (!script) {
      // Reads (the screening state) and the nodes' heartbeats are all that may run beside it.
      for (const char* write : {"\"PUBLISH\"", "\"HINCRBY\"", "\"XADD\"", "\"ZADD\" \"hl:queue\""}) {
        EXPECT_FALSE(contains(line, write)) << "a write outside the script: " << line;
      }
      if (contains(line, "\"HSET\"")) {
        EXPECT_TRUE(contains(line, "visitor_seen_at")) << line;
      }
    }
  }
  EXPECT_EQ(message_scripts, 1) << seen;
  EXPECT_EQ(other_scripts, 0) << seen;

  // And that one call did everything: the level, the categories, the statistics.
  const auto level = direct.command({"HMGET", helpline::keys::conversation(c.id), "level", "categories", "stats_day"});
  EXPECT_EQ(level.as_array().at(0).str, "high");
  EXPECT_TRUE(contains(level.as_array().at(1).str, "strangulation")) << level.as_array().at(1).str;
  const std::string day = level.as_array().at(2).str;
  ASSERT_FALSE(day.empty());
  EXPECT_EQ(direct.command({"HGET", helpline::keys::stats_levels(day), c.id}).str, "3");
}

}  // namespace
}  // namespace integration
