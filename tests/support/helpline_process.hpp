#pragma once
// One `helpline serve` process for integration tests: writes its JSON config into a work folder,
// starts it on a free port, waits until GET /readyz answers 200 (Redis reachable), and stops it
// with SIGTERM checking that it exits 0. Its stdout and stderr go to a log file that tests print
// when they fail. Also runs the `helpline` command line against the same config (user accounts).
#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace test_support {

class child_process;

struct helpline_options {
  std::string node_id = "node-a";
  std::uint16_t redis_port = 0;  // required
  std::uint16_t port = 0;        // 0: a free port is chosen
  bool always_open = true;
  // Used when !always_open: "mon".."sun" -> [["HH:MM","HH:MM"], ...]; empty = closed every day.
  boost::json::object weekly;
  int offer_timeout_seconds = 10;
  int skill_wait_seconds = 2;
  int abandon_after_seconds = 60;
  int router_tick_ms = 100;
  std::string log_level = "info";
  // Merged into the generated config last, section by section ({"server": {"burst": 50}}).
  boost::json::object overrides;
};

// An account created with `helpline user add` (password passed on stdin).
struct user_account {
  std::string username;
  std::string name;
  std::string role = "advisor";  // advisor | supervisor | admin
  std::string password;
  std::vector<std::string> languages{"en"};
  std::vector<std::string> caller_types{"own_behaviour", "professional", "friend_family", "experiencing_abuse"};
  int capacity = 2;
};

class helpline_process {
 public:
  // Writes <work_dir>/<node_id>.json; does not start the server.
  helpline_process(helpline_options options, std::filesystem::path work_dir);
  ~helpline_process();  // kills the server if it still runs
  helpline_process(const helpline_process&) = delete;
  helpline_process& operator=(const helpline_process&) = delete;

  // A sanitized server loads its content (Hunspell dictionaries included) in seconds, longer with
  // other tests beside it under ctest -j: a bound that only a broken run reaches.
  static constexpr std::chrono::milliseconds default_ready_timeout{120000};

  // Starts `helpline serve --config FILE` and waits for /readyz 200; throws (quoting the log)
  // when the process exits or is not ready in time.
  void start(std::chrono::milliseconds ready_timeout = default_ready_timeout);
  // Starts it without waiting (e.g. while Redis is down); follow with wait_ready(). Not from a
  // short-lived thread: the server dies with the thread that started it (PR_SET_PDEATHSIG).
  void launch();
  // Waits until GET /readyz answers 200 (e.g. after Redis came back); throws like start().
  void wait_ready(std::chrono::milliseconds ready_timeout = default_ready_timeout);
  // SIGTERM, then waits; throws unless the process exits with status 0 within `timeout`.
  void stop(std::chrono::milliseconds timeout = std::chrono::seconds(15));
  // SIGKILL, as a crash would.
  void kill();
  // stop() then start(), same port and config.
  void restart();
  bool running() const;

  std::uint16_t port() const { return port_; }
  const std::string& node_id() const { return options_.node_id; }
  const std::filesystem::path& config_path() const { return config_path_; }
  const std::filesystem::path& log_path() const { return log_path_; }
  const boost::json::object& config() const { return config_; }
  // The end of the server's log (all runs), for failure messages.
  std::string log_tail(std::size_t max_bytes = 12000) const;

  // Runs `helpline <args...> --config <config>` to completion, `stdin_text` on its stdin; returns
  // the exit status. Its output is appended to <work_dir>/<node_id>-cli.log.
  int run_cli(const std::vector<std::string>& args, const std::string& stdin_text = {});
  // `helpline user add ...`; throws when it fails.
  void add_user(const user_account& account);

  // Status of GET <target> on the server, -1 when nothing answers.
  int http_status(const std::string& target) const;
  // GET on this server: {status (-1 when unreachable), body}.
  std::pair<int, std::string> http_get(const std::string& target) const;
  // Any request, with an optional JSON body and bearer token.
  std::pair<int, std::string> http(const std::string& method, const std::string& target, const std::string& body = {},
                                   const std::string& bearer = {}) const;

 private:
  helpline_options options_;
  std::filesystem::path work_dir_;
  std::filesystem::path config_path_;
  std::filesystem::path log_path_;
  std::filesystem::path cli_log_path_;
  boost::json::object config_;
  std::uint16_t port_ = 0;
  std::unique_ptr<child_process> process_;
};

}  // namespace test_support
