#pragma once
// A child process for tests (redis-server, the helpline binary): fork/exec with arguments, extra
// environment, stdout/stderr to files. The destructor terminates it if still running.
//
// The child gets SIGKILL if the thread that started it exits (PR_SET_PDEATHSIG), so a crashed
// test leaves no stray servers behind: start children from a thread that outlives them (the test
// body, a fixture).
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace test_support {

class child_process {
 public:
  struct spec {
    std::string program;                     // a path, or a name looked up in PATH
    std::vector<std::string> args;           // without argv[0]
    std::map<std::string, std::string> env;  // added to (or replacing in) the parent's environment
    std::filesystem::path stdout_file;       // empty: /dev/null
    std::filesystem::path stderr_file;       // empty: /dev/null
    std::filesystem::path working_dir;       // empty: the parent's
  };

  // Throws std::runtime_error if the program cannot be started (not found, not executable).
  explicit child_process(spec what);
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;
  child_process(child_process&& other) noexcept;
  child_process& operator=(child_process&& other) noexcept;
  ~child_process();

  pid_t pid() const noexcept { return pid_; }
  bool is_running();
  // Sends a signal (SIGSTOP/SIGCONT/SIGKILL...) if still running.
  void send_signal(int signal_number);
  // SIGTERM, then SIGKILL if still running after `grace`. Returns the wait status.
  int terminate(std::chrono::milliseconds grace = std::chrono::seconds(10));
  // Waits for exit. Returns the raw wait status (WIFEXITED/WEXITSTATUS), or nullopt on timeout.
  std::optional<int> wait(std::optional<std::chrono::milliseconds> timeout = std::nullopt);

 private:
  bool reap(bool block);

  pid_t pid_ = -1;
  std::optional<int> status_;
};

}  // namespace test_support
