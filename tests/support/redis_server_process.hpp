#pragma once
// A real redis-server for tests, on a free port of 127.0.0.1 with its own temporary data dir,
// persisting every write (--appendonly yes --appendfsync always) so restart() keeps the data.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "child_process.hpp"

namespace test_support {

class redis_server_process {
 public:
  // Starts it and waits until it answers PING. `extra_args` are added to the command line (e.g.
  // {"--requirepass", "secret"}). Throws std::runtime_error (with the server's log) on failure.
  explicit redis_server_process(std::vector<std::string> extra_args = {});
  redis_server_process(const redis_server_process&) = delete;
  redis_server_process& operator=(const redis_server_process&) = delete;
  ~redis_server_process();  // stops the server and removes its data dir

  std::uint16_t port() const noexcept { return port_; }
  const std::filesystem::path& dir() const noexcept { return dir_; }
  std::filesystem::path log_file() const { return dir_ / "redis.log"; }
  bool running();

  // Graceful stop (SIGTERM: Redis flushes the append-only file and exits).
  void stop();
  // Crash: SIGKILL, as a power cut would (appendfsync always has kept every acknowledged write).
  void kill();
  // Starts it again on the same port and data dir, waiting until it answers PING.
  void start();
  void restart();
  // SIGSTOP / SIGCONT: the server keeps accepting TCP connections but answers nothing.
  void pause();
  void resume();

 private:
  void launch();
  void wait_until_ready(std::chrono::milliseconds timeout);
  std::string log_tail() const;

  std::vector<std::string> extra_args_;
  std::string password_;
  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  std::unique_ptr<child_process> process_;
};

}  // namespace test_support
