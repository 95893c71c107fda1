// Thread-safe metrics in the Prometheus text exposition format 0.0.4.
// Registration takes a lock and returns a reference that stays valid for the registry's life;
// updates are lock-free atomics, so hot paths register once and keep the reference.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace helpline::net {

using metric_labels = std::vector<std::pair<std::string, std::string>>;

class metric_counter {
 public:
  void inc(double amount = 1.0) noexcept { value_.fetch_add(amount, std::memory_order_relaxed); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class metric_gauge {
 public:
  void inc(double amount = 1.0) noexcept { value_.fetch_add(amount, std::memory_order_relaxed); }
  void dec(double amount = 1.0) noexcept { value_.fetch_sub(amount, std::memory_order_relaxed); }
  void set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class metric_histogram {
 public:
  explicit metric_histogram(std::vector<double> upper_bounds);  // sorted, finite, non-empty
  void observe(double value) noexcept;
  std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
  double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }
  const std::vector<double>& upper_bounds() const noexcept { return bounds_; }
  // Observations <= upper_bounds()[i] (cumulative, as exposed).
  std::uint64_t cumulative_count(std::size_t bucket) const noexcept;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // per bucket, not cumulative
  std::atomic<std::uint64_t> count_{0};
  std::atomic<double> sum_{0.0};
};

class metrics_registry {
 public:
  metrics_registry();
  ~metrics_registry();
  metrics_registry(const metrics_registry&) = delete;
  metrics_registry& operator=(const metrics_registry&) = delete;

  // Same name and labels -> the same metric. A name reused with another type, help text or
  // bucket layout, or an invalid name/label name, throws std::invalid_argument.
  metric_counter& counter(std::string_view name, std::string_view help, const metric_labels& labels = {});
  metric_gauge& gauge(std::string_view name, std::string_view help, const metric_labels& labels = {});
  metric_histogram& histogram(std::string_view name, std::string_view help,
                              const std::vector<double>& upper_bounds, const metric_labels& labels = {});

  // Families in registration order; each with # HELP and # TYPE lines.
  std::string render() const;

 private:
  struct family;
  family& family_for(std::string_view name, std::string_view help, int type);
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<family>> families_;  // bounded by the code: names are fixed strings
};

// The process-wide registry main() passes to http_server and the app registers into.
metrics_registry& default_metrics();

}  // namespace helpline::net
