#include "child_process.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <thread>

extern char** environ;  // NOLINT: POSIX

namespace test_support {

namespace {

std::string find_program(const std::string& program) {
  if (program.find('/') != std::string::npos) {
    return program;
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) {
      end = dirs.size();
    }
    std::string candidate = dirs.substr(start, end - start);
    candidate += candidate.empty() ? "./" : "/";
    candidate += program;
    if (::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
    start = end + 1;
  }
  throw std::runtime_error("child_process: program not found in PATH: " + program);
}

int open_or_throw(const std::filesystem::path& file, int flags) {
  const std::string name = file.empty() ? "/dev/null" : file.string();
  const int fd = ::open(name.c_str(), flags | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw std::runtime_error("child_process: cannot open " + name + ": " + std::strerror(errno));
  }
  return fd;
}

// Closes a descriptor when leaving scope (the parent's copies of the child's stdio).
struct fd_closer {
  int fd;
  ~fd_closer() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

}  // namespace

child_process::child_process(spec what) {
  // Everything the child needs is prepared before fork(): after it only async-signal-safe calls.
  const std::string path = find_program(what.program);
  std::vector<std::string> arg_storage;
  arg_storage.push_back(path);
  arg_storage.insert(arg_storage.end(), what.args.begin(), what.args.end());
  std::vector<char*> argv;
  for (std::string& arg : arg_storage) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);

  std::vector<std::string> env_storage;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    const std::string key(text.substr(0, text.find('=')));
    if (!what.env.contains(key)) {
      env_storage.emplace_back(text);
    }
  }
  for (const auto& [key, value] : what.env) {
    env_storage.push_back(key + "=" + value);
  }
  std::vector<char*> envp;
  for (std::string& entry : env_storage) {
    envp.push_back(entry.data());
  }
  envp.push_back(nullptr);

  fd_closer in{open_or_throw({}, O_RDONLY)};
  fd_closer out{open_or_throw(what.stdout_file, O_WRONLY | O_CREAT | O_APPEND)};
  fd_closer err{open_or_throw(what.stderr_file, O_WRONLY | O_CREAT | O_APPEND)};
  const std::string working_dir = what.working_dir.string();

  int exec_report[2];  // the child writes errno here if execve fails; closed by a successful exec
  if (::pipe2(exec_report, O_CLOEXEC) != 0) {
    throw std::runtime_error(std::string("child_process: pipe: ") + std::strerror(errno));
  }
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) {
    const int saved = errno;
    ::close(exec_report[0]);
    ::close(exec_report[1]);
    throw std::runtime_error(std::string("child_process: fork: ") + std::strerror(saved));
  }
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) {
      ::_exit(126);  // the parent died already
    }
    sigset_t all;
    ::sigemptyset(&all);
    ::sigprocmask(SIG_SETMASK, &all, nullptr);
    ::dup2(in.fd, STDIN_FILENO);
    ::dup2(out.fd, STDOUT_FILENO);
    ::dup2(err.fd, STDERR_FILENO);
    // No inherited sockets or files (a listening socket kept by redis-server would hold its port).
    ::close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
    if (!working_dir.empty() && ::chdir(working_dir.c_str()) != 0) {
      const int saved = errno;
      (void)!::write(exec_report[1], &saved, sizeof(saved));
      ::_exit(127);
    }
    ::execve(path.c_str(), argv.data(), envp.data());
    const int saved = errno;
    (void)!::write(exec_report[1], &saved, sizeof(saved));
    ::_exit(127);
  }
  ::close(exec_report[1]);
  int child_errno = 0;
  ssize_t got = 0;
  do {
    got = ::read(exec_report[0], &child_errno, sizeof(child_errno));
  } while (got < 0 && errno == EINTR);
  ::close(exec_report[0]);
  pid_ = pid;
  if (got == static_cast<ssize_t>(sizeof(child_errno))) {
    wait();
    pid_ = -1;
    throw std::runtime_error("child_process: cannot start " + path + ": " +
                             std::strerror(child_errno));
  }
}

child_process::child_process(child_process&& other) noexcept
    : pid_(other.pid_), status_(other.status_) {
  other.pid_ = -1;
}

child_process& child_process::operator=(child_process&& other) noexcept {
  if (this != &other) {
    if (pid_ > 0 && is_running()) {
      terminate();
    }
    pid_ = other.pid_;
    status_ = other.status_;
    other.pid_ = -1;
  }
  return *this;
}

child_process::~child_process() {
  if (pid_ > 0 && is_running()) {
    terminate(std::chrono::seconds(5));
  }
}

bool child_process::reap(bool block) {
  if (status_ || pid_ <= 0) {
    return true;
  }
  int status = 0;
  pid_t result = 0;
  do {
    result = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
  } while (result < 0 && errno == EINTR);
  if (result == pid_) {
    status_ = status;
    return true;
  }
  if (result < 0) {
    status_ = -1;  // not our child any more (already reaped elsewhere)
    return true;
  }
  return false;
}

bool child_process::is_running() { return !reap(false); }

void child_process::send_signal(int signal_number) {
  if (is_running()) {
    ::kill(pid_, signal_number);
  }
}

std::optional<int> child_process::wait(std::optional<std::chrono::milliseconds> timeout) {
  if (!timeout) {
    reap(true);
    return status_;
  }
  const auto deadline = std::chrono::steady_clock::now() + *timeout;
  while (!reap(false)) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return std::nullopt;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return status_;
}

int child_process::terminate(std::chrono::milliseconds grace) {
  if (is_running()) {
    ::kill(pid_, SIGTERM);
    ::kill(pid_, SIGCONT);  // a stopped (SIGSTOP) child only acts on SIGTERM once continued
    if (!wait(grace)) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  return status_.value_or(-1);
}

}  // namespace test_support
