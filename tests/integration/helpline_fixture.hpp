#pragma once
// The fixture every integration test uses: its own redis-server (AOF, temporary folder, free
// port), one or more `helpline serve` nodes on that Redis, and WebSocket clients owned by the
// fixture so that a failing test prints every node's log and every client's frames.
#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "helpline_process.hpp"
#include "redis_server_process.hpp"
#include "ws_client.hpp"

namespace integration {

// Accounts most tests use. Passwords are test-only.
test_support::user_account sam_advisor(int capacity = 2);
test_support::user_account priya_advisor(int capacity = 2);
test_support::user_account sue_supervisor();
test_support::user_account tom_supervisor();
test_support::user_account ada_admin();

class helpline_test : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  test_support::redis_server_process& redis() { return *redis_; }

  // A node configured for this test's Redis (options.redis_port is filled in); not started, so
  // users can be added first.
  test_support::helpline_process& create_node(test_support::helpline_options options = {});
  // create_node + add `users` (through that node's CLI) + start.
  test_support::helpline_process& start_node(test_support::helpline_options options = {},
                                             const std::vector<test_support::user_account>& users = {});

  // A new client owned by the fixture (alive until the test ends).
  test_support::ws_client& client(const std::string& name);

  const std::filesystem::path& work_dir() const { return work_dir_; }

 private:
  std::filesystem::path work_dir_;
  std::unique_ptr<test_support::redis_server_process> redis_;
  std::deque<std::unique_ptr<test_support::helpline_process>> nodes_;
  std::deque<std::unique_ptr<test_support::ws_client>> clients_;
};

}  // namespace integration
