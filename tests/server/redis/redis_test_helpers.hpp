#pragma once
// Shared helpers for redis_tests: io threads, running a coroutine to completion from the test
// thread, waiting (bounded) for a condition, and reading the errc out of a failure.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include "redis/client.hpp"
#include "redis/error.hpp"

namespace redis_tests {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// Generous: only there so a broken build fails instead of hanging; never a speed assertion.
inline constexpr std::chrono::seconds hang_limit{30};

class io_threads {
 public:
  explicit io_threads(int count) : work_(asio::make_work_guard(context_)) {
    for (int i = 0; i < count; ++i) {
      threads_.emplace_back([this] { context_.run(); });
    }
  }
  io_threads(const io_threads&) = delete;
  io_threads& operator=(const io_threads&) = delete;
  ~io_threads() {
    work_.reset();
    context_.stop();
    for (auto& t : threads_) {
      t.join();
    }
  }
  asio::io_context& context() { return context_; }
  asio::any_io_executor executor() { return context_.get_executor(); }

 private:
  asio::io_context context_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

// Runs `work` on `ex` and waits for its result on the calling (test) thread.
template <typename T>
T run(asio::any_io_executor ex, asio::awaitable<T> work) {
  auto future = asio::co_spawn(ex, std::move(work), asio::use_future);
  if (future.wait_for(hang_limit) != std::future_status::ready) {
    throw std::runtime_error("coroutine did not finish (hang)");
  }
  return future.get();
}

// Runs the coroutine function `f` (a lambda returning an awaitable; co_spawn keeps the lambda
// alive while it runs) on `ex` and waits for its result.
template <typename F>
auto run_fn(asio::any_io_executor ex, F f) {
  auto future = asio::co_spawn(ex, std::move(f), asio::use_future);
  if (future.wait_for(hang_limit) != std::future_status::ready) {
    throw std::runtime_error("coroutine did not finish (hang)");
  }
  return future.get();
}

// The errc of the helpline::redis::error thrown by `f`, or nullopt if it did not throw one.
inline std::optional<helpline::redis::errc> error_of(const std::function<void()>& f,
                                                     std::string* message = nullptr) {
  try {
    f();
  } catch (const helpline::redis::error& e) {
    if (message != nullptr) {
      *message = e.what();
    }
    return e.code();
  }
  return std::nullopt;
}

// Polls `condition` until true or the hang limit; returns its last value.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds limit = hang_limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return condition();
    }
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

// One command from the test thread.
inline helpline::redis::reply call(helpline::redis::client& c, asio::any_io_executor ex,
                                   std::vector<std::string> args) {
  return run(ex, c.command(std::move(args)));
}

// stop(), then wait until the client's strand has processed it (a later command sees closed).
inline void stop_and_drain(const std::shared_ptr<helpline::redis::client>& c,
                           asio::any_io_executor ex) {
  c->stop();
  error_of([&] { call(*c, ex, {"PING"}); });
}

}  // namespace redis_tests
