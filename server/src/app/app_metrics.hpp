#pragma once
// The helpline's own Prometheus metrics (the transport adds connections, frames and closes).
// Label values come from fixed sets (error codes, levels, caller types), never from user input.
#include <array>
#include <string>

#include "net/metrics_registry.hpp"

namespace helpline {

class app_metrics {
 public:
  explicit app_metrics(net::metrics_registry& registry);

  void error(const std::string& code);
  void message_stored(const std::string& from);
  void message_delivered() { delivered_.inc(); }
  void conversation_started(const std::string& caller_type);
  void conversation_accepted(double waited_seconds) { wait_seconds_.observe(waited_seconds); }
  void callback_requested() { callbacks_.inc(); }
  void risk_raised(const std::string& level);
  void queue_length(std::size_t level, std::size_t n) { queue_by_level_.at(level)->set(static_cast<double>(n)); }
  void advisors_available(std::size_t n) { advisors_available_.set(static_cast<double>(n)); }
  void queue_away(std::size_t n) { queue_away_.set(static_cast<double>(n)); }
  void redis_up(bool up) { redis_up_.set(up ? 1 : 0); }

 private:
  net::metrics_registry& registry_;
  net::metric_counter& delivered_;
  net::metric_counter& callbacks_;
  net::metric_histogram& wait_seconds_;
  net::metric_gauge& advisors_available_;
  net::metric_gauge& queue_away_;
  net::metric_gauge& redis_up_;
  std::array<net::metric_gauge*, 5> queue_by_level_{};
};

}  // namespace helpline
