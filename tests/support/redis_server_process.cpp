#include "redis_server_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "free_port.hpp"

namespace test_support {

namespace {

std::filesystem::path make_temp_dir() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = (tmp != nullptr && *tmp != '\0' ? std::string(tmp) : std::string("/tmp")) +
                        "/helpline-redis-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error(std::string("redis_server_process: mkdtemp: ") + std::strerror(errno));
  }
  return pattern;
}

std::string resp_command(const std::vector<std::string>& args) {
  std::string out = "*" + std::to_string(args.size()) + "\r\n";
  for (const std::string& arg : args) {
    out += "$" + std::to_string(arg.size()) + "\r\n" + arg + "\r\n";
  }
  return out;
}

// One short-lived plain TCP exchange: sends `request`, returns the first line of the last reply
// (or empty if the server is not answering yet). Deliberately independent of the code under test.
std::string ask(std::uint16_t port, const std::string& request, int replies_expected) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return {};
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  std::string received;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
    auto lines = [&] {
      int count = 0;
      for (std::size_t pos = 0; (pos = received.find("\r\n", pos)) != std::string::npos; pos += 2) {
        ++count;
      }
      return count;
    };
    while (lines() < replies_expected && std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) {
        continue;
      }
      char buffer[512];
      const ssize_t got = ::recv(fd, buffer, sizeof(buffer), 0);
      if (got <= 0) {
        break;
      }
      received.append(buffer, static_cast<std::size_t>(got));
    }
  }
  ::close(fd);
  // The last complete line: "+PONG" once the server is up, "-LOADING ..." while it loads.
  std::string last;
  for (std::size_t pos = 0, next = 0; (next = received.find("\r\n", pos)) != std::string::npos;
       pos = next + 2) {
    last = received.substr(pos, next - pos);
  }
  return last;
}

}  // namespace

redis_server_process::redis_server_process(std::vector<std::string> extra_args)
    : extra_args_(std::move(extra_args)), dir_(make_temp_dir()) {
  for (std::size_t i = 0; i + 1 < extra_args_.size(); ++i) {
    if (extra_args_[i] == "--requirepass") {
      password_ = extra_args_[i + 1];
    }
  }
  // A free port can be taken between free_port() and redis binding it: try a few.
  std::string last_error;
  for (int tries = 0; tries < 5; ++tries) {
    port_ = free_port();
    try {
      start();
      return;
    } catch (const std::exception& e) {
      last_error = e.what();
      if (process_) {
        process_->terminate(std::chrono::seconds(2));
        process_.reset();
      }
    }
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
  throw std::runtime_error(last_error);
}

redis_server_process::~redis_server_process() {
  try {
    if (process_) {
      process_->terminate(std::chrono::seconds(5));
    }
  } catch (...) {  // NOLINT(bugprone-empty-catch): best effort in a destructor
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

bool redis_server_process::running() { return process_ && process_->is_running(); }

void redis_server_process::launch() {
  child_process::spec what;
  what.program = "redis-server";
  what.args = {"--port",
               std::to_string(port_),
               "--bind",
               "127.0.0.1",
               "--dir",
               dir_.string(),
               "--save",
               "",
               "--appendonly",
               "yes",
               "--appendfsync",
               "always",
               "--daemonize",
               "no",
               "--logfile",
               "",
               "--enable-debug-command",
               "local"};
  what.args.insert(what.args.end(), extra_args_.begin(), extra_args_.end());
  what.stdout_file = log_file();
  what.stderr_file = log_file();
  process_ = std::make_unique<child_process>(std::move(what));
}

void redis_server_process::start() {
  if (running()) {
    return;
  }
  launch();
  wait_until_ready(std::chrono::seconds(20));
}

void redis_server_process::stop() {
  if (process_) {
    process_->terminate(std::chrono::seconds(10));
    process_.reset();
  }
}

void redis_server_process::kill() {
  if (process_) {
    process_->send_signal(SIGKILL);
    process_->wait();
    process_.reset();
  }
}

void redis_server_process::restart() {
  stop();
  start();
}

void redis_server_process::pause() {
  if (process_) {
    process_->send_signal(SIGSTOP);
  }
}

void redis_server_process::resume() {
  if (process_) {
    process_->send_signal(SIGCONT);
  }
}

void redis_server_process::wait_until_ready(std::chrono::milliseconds timeout) {
  std::string request;
  int replies = 1;
  if (!password_.empty()) {
    request += resp_command({"AUTH", password_});
    ++replies;
  }
  request += resp_command({"PING"});
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!process_->is_running()) {
      throw std::runtime_error("redis-server exited at start:\n" + log_tail());
    }
    if (ask(port_, request, replies) == "+PONG") {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  throw std::runtime_error("redis-server did not answer PING in time:\n" + log_tail());
}

std::string redis_server_process::log_tail() const {
  std::ifstream in(log_file());
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  return all.size() > 4000 ? all.substr(all.size() - 4000) : all;
}

}  // namespace test_support
