#pragma once
// Steps that several integration tests share, written from docs/protocol.md: an advisor logging
// in and going available, a visitor starting a conversation and answering the screening, an
// advisor accepting an offer, messages with their acks. Each step checks what a user depends on
// and throws test_support::protocol_failure (with the frames seen) when the server deviates.
#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ws_client.hpp"

namespace integration {

namespace json = boost::json;
using test_support::ws_client;

// ---- advisor console -------------------------------------------------------------------------

// Connects to /ws/advisor and logs in with a password; returns `logged_in`.
json::object login(ws_client& console, std::uint16_t port, const std::string& username, const std::string& password);
// Connects to /ws/advisor and logs in with a session token; returns `logged_in`.
json::object login_with_token(ws_client& console, std::uint16_t port, const std::string& token);
// Sets presence and waits for the server's `presence` reply with the same status.
void set_presence(ws_client& console, const std::string& status);
// Waits for an `offer` of this conversation; returns the offer frame.
json::object expect_offer(ws_client& console, const std::string& conversation_id);
// Sends `accept` and returns the reply's "conversation" object (checks state active).
json::object accept(ws_client& console, const std::string& conversation_id);
// expect_offer + accept.
json::object take_offer(ws_client& console, const std::string& conversation_id);
// Sends an advisor message and waits for its `ack`; returns the seq.
std::int64_t advisor_says(ws_client& console, const std::string& conversation_id, const std::string& client_id,
                          const std::string& text);
// Sends `history` after `after_seq`; returns the messages.
std::vector<json::object> history(ws_client& console, const std::string& conversation_id, std::int64_t after_seq);

// ---- visitor widget --------------------------------------------------------------------------

// Connects to /ws/visitor and sends hello (with resume token and last_seq when given); returns
// `welcome`.
json::object visitor_hello(ws_client& widget, std::uint16_t port, const std::optional<std::string>& resume = {},
                           std::optional<std::int64_t> last_seq = {});

// How a simulated visitor answers the screening. By default: a choice question gets the option
// that means "no" or is the safest ("no", "not_sure", "neither", "other"...), a free-text
// question a neutral sentence. `answers` forces a value for a question id.
struct screening_policy {
  std::map<std::string, std::string> answers;
  std::string free_text = "I would like some advice please.";
  std::string lang = "en";  // sent with start
};

struct visitor_conversation {
  std::string id;
  std::string resume_token;
  json::object started;
  std::vector<json::object> questions;  // as asked, in order
  std::vector<std::string> answers;     // the values sent, in order
  json::object first_queue;             // the first `queue` after the last answer
};

// Picks the value the policy gives for this question.
std::string choose_answer(const json::object& question, const screening_policy& policy);

// Sends start and answers every question until the conversation is queued. The widget must have
// had its welcome already.
visitor_conversation start_conversation(ws_client& widget, const std::string& caller_type = "own_behaviour",
                                        const screening_policy& policy = {});
// visitor_hello + start_conversation.
visitor_conversation connect_and_start(ws_client& widget, std::uint16_t port,
                                       const std::string& caller_type = "own_behaviour",
                                       const screening_policy& policy = {});

// Sends a visitor message and waits for its `ack` (checking client_id); returns the seq.
std::int64_t visitor_says(ws_client& widget, const std::string& client_id, const std::string& text);

// Waits for the `message` event with this seq; checks from (and text when given).
json::object expect_message(ws_client& c, std::int64_t seq, const std::string& from,
                            const std::optional<std::string>& text = {});

// Waits for a `queue` frame whose position is `position` (visitor side).
json::object expect_queue_position(ws_client& widget, std::int64_t position);

// Sends `request` with a fresh ref and expects `error` with `code` echoing the ref.
json::object expect_error(ws_client& c, json::object request, const std::string& code);

// A fresh ref for a request ("r1", "r2", ...), unique within the test process.
std::string next_ref();

}  // namespace integration
