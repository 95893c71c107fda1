#include "helpline_fixture.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <stdexcept>

extern char** environ;  // NOLINT: POSIX

namespace integration {

using test_support::helpline_options;
using test_support::helpline_process;
using test_support::user_account;

namespace {
// Test-only accounts: user name, display name, role; the password is "<user>-test-password-1".
user_account account_of(const std::string& username, const std::string& name, const std::string& role,
                        int capacity = 2) {
  user_account a;
  a.username = username;
  a.name = name;
  a.role = role;
  a.password = username + "-test-password-1";
  a.capacity = capacity;
  return a;
}
}  // namespace

user_account sam_advisor(int capacity) {
  user_account a = account_of("sam", "Sam", "advisor", capacity);
  a.languages = {"en", "pl"};
  return a;
}
user_account priya_advisor(int capacity) { return account_of("priya", "Priya", "advisor", capacity); }
user_account sue_supervisor() { return account_of("sue", "Sue", "supervisor"); }
user_account tom_supervisor() { return account_of("tom", "Tom", "supervisor"); }
user_account ada_admin() { return account_of("ada", "Ada", "admin"); }

void helpline_test::SetUp() {
  // `helpline serve` reads HELPLINE_<SECTION>_<KEY> overrides from its environment, which it
  // inherits from this process: a developer's HELPLINE_REDIS_PORT must not point a test at
  // another Redis. Each test runs in its own process (gtest_discover_tests), so this is local.
  std::vector<std::string> inherited;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view kv(*e);
    if (kv.rfind("HELPLINE_", 0) == 0) inherited.emplace_back(kv.substr(0, kv.find('=')));
  }
  for (const std::string& name : inherited) unsetenv(name.c_str());

  std::string pattern = (std::filesystem::temp_directory_path() / "helpline-it-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
  work_dir_ = pattern;
  redis_ = std::make_unique<test_support::redis_server_process>();
}

void helpline_test::TearDown() {
  bool failed = HasFailure();
  if (failed) {
    // Everything a reader needs to tell a test bug from a server bug: each node's log and each
    // client's frames (message text here is synthetic test text).
    for (const auto& c : clients_) std::cerr << c->transcript(30);
    for (const auto& n : nodes_) {
      std::cerr << "--- log of helpline serve " << n->node_id() << " (" << n->log_path().string() << ") ---\n"
                << n->log_tail(8000) << "\n";
    }
    std::cerr << "--- work folder kept: " << work_dir_.string() << "\n";
  }
  clients_.clear();
  for (auto& n : nodes_) {
    if (!n->running()) continue;
    if (failed) {
      n->kill();
      continue;
    }
    // A passing test also checks the operational contract: SIGTERM ends the node with status 0.
    try {
      n->stop();
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
    }
  }
  nodes_.clear();
  redis_.reset();
  if (!HasFailure()) {
    std::error_code ec;
    std::filesystem::remove_all(work_dir_, ec);
  }
}

helpline_process& helpline_test::create_node(helpline_options options) {
  options.redis_port = redis_->port();
  nodes_.push_back(std::make_unique<helpline_process>(std::move(options), work_dir_));
  return *nodes_.back();
}

helpline_process& helpline_test::start_node(helpline_options options, const std::vector<user_account>& users) {
  helpline_process& node = create_node(std::move(options));
  for (const user_account& u : users) node.add_user(u);
  node.start();
  return node;
}

test_support::ws_client& helpline_test::client(const std::string& name) {
  clients_.push_back(std::make_unique<test_support::ws_client>(name));
  return *clients_.back();
}

}  // namespace integration
