#pragma once
// Conversations in Redis (docs/redis.md): creation, screening answers, risk, messages with
// gap-free sequence numbers, routing steps and the end of a conversation. Every state change is
// one Lua script, so concurrent nodes never see half a change.
#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/app_config.hpp"
#include "app/conversation.hpp"
#include "app/redis_call.hpp"
#include "app/script_calls.hpp"
#include "triage/risk_level.hpp"
#include "triage/screening_engine.hpp"
#include "triage/screening_result.hpp"

namespace helpline {

struct stored_message {
  long long seq = 0;
  boost::json::object fields;  // from, text, ts, client_id, name?, card?, flags?, cues?
};

// Every node heartbeats the advisors connected to it; an advisor not heard of for advisor_alive
// is offline for the router, the queue's estimates and the supervisors' list alike.
inline constexpr std::chrono::seconds advisor_heartbeat{5};
inline constexpr std::chrono::milliseconds advisor_alive{15000};
// Visitor sockets are refreshed on the same heartbeat: one older than this means its node is gone.
inline constexpr std::chrono::milliseconds visitor_alive{15000};

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
  boost::asio::awaitable<conversation> load(const std::string& id);  // !exists() when unknown
  // The language a visitor asked for that has no screening pack (advisors are warned).
  boost::asio::awaitable<void> set_visitor_lang(const std::string& id, const std::string& lang);

  // What screening a visitor message needs before it is stored: what the recent messages left to
  // complete (triage::screening_context), and the categories found so far.
  struct screening_state {
    triage::screening_context context;
    std::vector<std::string> categories;
    std::string stats_day;
  };
  boost::asio::awaitable<screening_state> screening(const std::string& id);

  // Records a screening answer with the categories it shows (scripted and screened) and the level
  // they make with the stored ones (triage::conversation_risk, content/rules/levels.tsv), in one
  // script. "next" or "queued"; refuses (wrong_state) unless question_id is the pending question.
  struct new_answer {
    std::string question_id;
    boost::json::object answer;
    std::string next_question;  // "" = screening done
    std::vector<std::string> categories;
    boost::json::array flags;
  };
  boost::asio::awaitable<std::string> answer(const conversation& current, const new_answer& a,
                                             std::shared_ptr<const triage::screening_engine> engine);

  struct appended {
    bool duplicate = false;
    long long seq = 0;
  };
  // One visitor message in one script: stored, categories merged, level raised by the content's
  // rules, queue re-scored, statistics counted, published (docs/redis.md, visitor_message).
  struct visitor_message {
    std::string client_id;
    std::string text;
    boost::json::array flags, cues;
    std::vector<std::string> categories;  // the flags' categories
    std::string screening_context;        // what the next message can complete ("" keeps it)
  };
  boost::asio::awaitable<appended> add_visitor_message(const std::string& id, const visitor_message& m,
                                                       screening_state before,
                                                       std::shared_ptr<const triage::screening_engine> engine);
  struct advisor_message {
    std::string advisor_id, name, client_id, text;
    std::string card_json;  // "" when absent
    bool team = false;      // a private note for advisors and supervisors, never the visitor
  };
  boost::asio::awaitable<appended> add_advisor_message(const std::string& id, const advisor_message& m);
  // A system line everyone on an active conversation sees, the visitor included; `notice` names
  // the event (the widget words it in the visitor's language), `text` is the English fallback.
  // Idempotent on client_id.
  boost::asio::awaitable<appended> add_system_notice(const std::string& id, const std::string& notice,
                                                     const std::string& text, const std::string& client_id,
                                                     const std::string& name = "");
  boost::asio::awaitable<std::vector<stored_message>> messages_after(const std::string& id, long long after_seq,
                                                                     std::size_t limit = 500);

  boost::asio::awaitable<long long> accept(const std::string& id, const std::string& advisor,
                                           const std::string& name, int capacity);  // waited ms
  boost::asio::awaitable<void> decline(const std::string& advisor, const std::string& id,
                                       const std::string& reason);
  boost::asio::awaitable<void> advisor_offline(const std::string& advisor);
  boost::asio::awaitable<std::string> end(const std::string& id, const std::string& by,
                                          const std::string& advisor, bool supervisor,
                                          const std::string& reason = "");
  boost::asio::awaitable<void> wrap_up(const std::string& id, const std::string& advisor, bool supervisor,
                                       const boost::json::object& wrapup);
  boost::asio::awaitable<void> transfer(const std::string& id, const std::string& from, bool supervisor,
                                        const std::string& to, const std::string& note);
  boost::asio::awaitable<void> take_over(const std::string& id, const std::string& supervisor,
                                         const std::string& name);
  // A plan, its confirmation or a disclosure (case_record.lua); returns the stored record's JSON.
  boost::asio::awaitable<std::string> case_record(const std::string& what, const std::string& id,
                                                  const std::string& argument, const std::string& by,
                                                  const std::string& by_name);
  boost::asio::awaitable<void> typing(const std::string& id, const std::string& from, bool active);
  boost::asio::awaitable<void> watch(const std::string& id, const std::string& advisor);
  boost::asio::awaitable<void> touch_visitors(const std::vector<std::string>& ids);
  // A visitor socket opened (seen) or this node's last one for the conversation closed (!seen);
  // returns the presence, connected | away | gone (docs/redis.md, visitor presence).
  boost::asio::awaitable<std::string> visitor_presence(const std::string& id, bool seen);
  // `today` is the helpline's local date, under which abandonments are counted.
  boost::asio::awaitable<long long> route(bool sweep, const std::string& today);

  // The waiting conversations in routing order (at most `limit`).
  boost::asio::awaitable<std::vector<conversation>> queue(std::size_t limit = 200);
  // Every waiting conversation, in queue order, with only what a position needs: however long
  // the queue, every visitor in it gets a position (queue() above is for advisors' detail).
  struct waiting {
    std::string id, level, presence;
    bool visitor_connected() const { return presence.empty() || presence == "connected"; }
  };
  boost::asio::awaitable<std::vector<waiting>> whole_queue();
  boost::asio::awaitable<std::vector<conversation>> load_many(const std::vector<std::string>& ids);
  boost::asio::awaitable<std::vector<std::string>> live_ids();
  boost::asio::awaitable<std::vector<std::string>> advisor_conversations(const std::string& advisor);
  boost::asio::awaitable<std::vector<std::string>> advisor_offers(const std::string& advisor);
  boost::asio::awaitable<std::vector<long long>> recent_handle_times_ms();

 private:
  std::string boosts_json() const;
  // What the new categories make of the stored ones; a script that finds the stored set changed
  // meanwhile answers `stale`, and the caller reads the set again and retries.
  scripts::risk_change risk_after(const std::vector<std::string>& stored, const std::vector<std::string>& added,
                                  const std::string& stats_day, const std::shared_ptr<const triage::screening_engine>& engine) const;
  boost::asio::awaitable<std::vector<std::string>> stored_categories(const std::string& id);

  redis_call redis_;
  const app_config& config_;
};

}  // namespace helpline
