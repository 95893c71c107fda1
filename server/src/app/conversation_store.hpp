#pragma once
// Conversations in Redis (docs/redis.md): creation, screening answers, risk, messages with
// gap-free sequence numbers, routing steps and the end of a conversation. Every state change is
// one Lua script, so concurrent nodes never see half a change.
#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "app/app_config.hpp"
#include "app/redis_call.hpp"
#include "triage/risk_level.hpp"
#include "triage/screening_result.hpp"

namespace helpline {

struct stored_message {
  long long seq = 0;
  boost::json::object fields;  // from, text, ts, client_id, name?, card?, flags?, cues?
};

struct queue_entry {
  std::string id;
  record conv;  // the conversation hash
};

// Every node heartbeats the advisors connected to it; an advisor not heard of for advisor_alive
// is offline for the router, the queue's estimates and the supervisors' list alike.
inline constexpr std::chrono::seconds advisor_heartbeat{5};
inline constexpr std::chrono::milliseconds advisor_alive{15000};

class conversation_store {
 public:
  conversation_store(redis_call redis, const app_config& config);

  struct created {
    std::string id;
    std::string resume_token;
  };
  boost::asio::awaitable<created> create(std::string_view caller_type, std::string_view lang,
                                         std::string_view first_question);
  boost::asio::awaitable<std::optional<std::string>> find_by_resume_token(const std::string& token);
  boost::asio::awaitable<record> load(const std::string& id);  // empty when unknown
  // What the visitor's recent messages left for screening to complete (triage::screening_context).
  boost::asio::awaitable<triage::screening_context> screening_context(const std::string& id);

  // "next" or "queued"; refuses (wrong_state) unless question_id is the pending question.
  boost::asio::awaitable<std::string> answer(const std::string& id, const std::string& question_id,
                                             const boost::json::object& answer,
                                             const std::string& next_question);
  // Adds categories; returns the conversation's whole set.
  boost::asio::awaitable<std::vector<std::string>> add_categories(const std::string& id,
                                                                  const std::vector<std::string>& categories);
  // True when the level rose (levels never fall).
  boost::asio::awaitable<bool> raise_level(const std::string& id, triage::risk_level level,
                                           const std::vector<std::string>& categories,
                                           const boost::json::array& new_flags);

  struct appended {
    bool duplicate = false;
    long long seq = 0;
  };
  struct new_message {
    std::string sender_key;  // "v" for the visitor, "a:<id>" for advisors
    std::string client_id;
    std::string from;        // visitor | advisor | system
    std::string name;
    std::string text;
    std::string card_json, flags_json, cues_json;  // "" when absent
    std::string screening_context;                  // visitor messages: what the next one can complete ("" keeps it)
    std::string allowed_states;                    // comma separated
    std::string advisor_id;                        // participant check; "" for visitors
  };
  boost::asio::awaitable<appended> append(const std::string& id, const new_message& m);
  boost::asio::awaitable<std::vector<stored_message>> messages_after(const std::string& id, long long after_seq,
                                                                     std::size_t limit = 500);

  boost::asio::awaitable<long long> accept(const std::string& id, const std::string& advisor,
                                           const std::string& name, int capacity);  // waited ms
  boost::asio::awaitable<void> decline(const std::string& advisor, const std::string& id,
                                       const std::string& reason);
  boost::asio::awaitable<void> advisor_offline(const std::string& advisor);
  boost::asio::awaitable<std::string> end(const std::string& id, const std::string& by,
                                          const std::string& advisor, bool supervisor);
  boost::asio::awaitable<void> wrap_up(const std::string& id, const std::string& advisor, bool supervisor,
                                       const boost::json::object& wrapup);
  boost::asio::awaitable<void> transfer(const std::string& id, const std::string& from, bool supervisor,
                                        const std::string& to, const std::string& note);
  boost::asio::awaitable<void> watch(const std::string& id, const std::string& advisor);
  boost::asio::awaitable<void> touch_visitors(const std::vector<std::string>& ids);
  // `today` is the helpline's local date, under which abandonments are counted.
  boost::asio::awaitable<long long> route(bool sweep, const std::string& today);

  // The waiting conversations in routing order (at most `limit`), with their hashes.
  boost::asio::awaitable<std::vector<queue_entry>> queue(std::size_t limit = 200);
  boost::asio::awaitable<std::vector<record>> load_many(const std::vector<std::string>& ids);
  boost::asio::awaitable<std::vector<std::string>> live_ids();
  boost::asio::awaitable<std::vector<std::string>> advisor_conversations(const std::string& advisor);
  boost::asio::awaitable<std::vector<std::string>> advisor_offers(const std::string& advisor);
  boost::asio::awaitable<std::vector<long long>> recent_handle_times_ms();

  const redis_call& redis() const { return redis_; }

 private:
  std::string boosts_json() const;

  redis_call redis_;
  const app_config& config_;
};

}  // namespace helpline
