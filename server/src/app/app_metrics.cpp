#include "app/app_metrics.hpp"

#include <set>

#include "triage/caller_type.hpp"

namespace helpline {
namespace {
const std::set<std::string> known_errors{
    "bad_json", "bad_request", "unknown_type", "unsupported_version", "wrong_state", "not_found", "too_long",
    "limit_reached", "rate_limited", "line_closed", "not_authenticated", "bad_credentials", "locked",
    "forbidden", "conflict", "unavailable", "internal", "outside_hours"};
const std::set<std::string> senders{"visitor", "advisor", "team", "system"};
const std::set<std::string> levels{"none", "low", "medium", "high", "imminent"};
}  // namespace

app_metrics::app_metrics(net::metrics_registry& registry)
    : registry_(registry),
      delivered_(registry.counter("helpline_messages_delivered_total", "Messages sent to clients by this node")),
      callbacks_(registry.counter("helpline_callbacks_requested_total", "Callback requests stored")),
      wait_seconds_(registry.histogram("helpline_queue_wait_seconds", "Time from queued to accepted",
                                       {10, 30, 60, 120, 300, 600, 1200, 1800, 3600})),
      advisors_available_(registry.gauge("helpline_advisors_available", "Advisors online and available")),
      queue_away_(registry.gauge("helpline_queue_visitors_away",
                                 "Waiting conversations whose visitor is not connected (not counted in positions)")),
      redis_up_(registry.gauge("helpline_redis_up", "1 when Redis answers this node")) {
  const char* names[] = {"none", "low", "medium", "high", "imminent"};
  for (std::size_t i = 0; i < 5; ++i) {
    queue_by_level_[i] = &registry.gauge("helpline_queue_length", "Conversations waiting, by risk level",
                                         {{"level", names[i]}});
  }
}

void app_metrics::error(const std::string& code) {
  registry_.counter("helpline_errors_total", "Error replies sent to clients, by code",
                    {{"code", known_errors.count(code) ? code : "other"}})
      .inc();
}

void app_metrics::message_stored(const std::string& from) {
  registry_.counter("helpline_messages_total", "Messages stored, by sender",
                    {{"from", senders.count(from) ? from : "other"}})
      .inc();
}

void app_metrics::conversation_started(const std::string& caller_type) {
  registry_.counter("helpline_conversations_started_total", "Conversations started, by caller type",
                    {{"caller_type", triage::parse_caller_type(caller_type) ? caller_type : "other"}})
      .inc();
}

void app_metrics::risk_raised(const std::string& level) {
  registry_.counter("helpline_risk_raised_total", "Conversation risk level rises, by new level",
                    {{"level", levels.count(level) ? level : "other"}})
      .inc();
}

}  // namespace helpline
