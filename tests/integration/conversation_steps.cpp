#include "conversation_steps.hpp"

#include <atomic>

#include "json_frames.hpp"

namespace integration {

using test_support::describe;
using test_support::integer;
using test_support::is_error;
using test_support::is_type;
using test_support::obj;
using test_support::protocol_failure;
using test_support::str;

namespace {

[[noreturn]] void fail(const ws_client& c, const std::string& what) {
  throw protocol_failure(c.name() + ": " + what + "\n" + c.transcript(40));
}

// The reply to a request must be of `type`; an error reply fails with its code and message.
json::object require_reply(const ws_client& c, json::object reply, const std::string& type, const std::string& what) {
  if (!is_type(reply, type)) fail(c, what + ": expected \"" + type + "\", got " + describe(reply));
  return reply;
}

bool has_string(const json::object& f, std::string_view key, std::string_view value) {
  const json::value* v = f.if_contains(key);
  return v != nullptr && v->is_string() && v->as_string() == value;
}

bool nested_id_is(const json::object& f, std::string_view key, std::string_view id) {
  const json::value* v = f.if_contains(key);
  return v != nullptr && v->is_object() && has_string(v->as_object(), "id", id);
}

}  // namespace

std::string next_ref() {
  static std::atomic<int> counter{0};
  return "r" + std::to_string(++counter);
}

// ---- advisor console -------------------------------------------------------------------------

namespace {
json::object finish_login(ws_client& console, json::object request) {
  request["ref"] = next_ref();
  json::object reply = require_reply(console, console.request(request), "logged_in", "login");
  if (!reply.contains("token")) fail(console, "logged_in has no token");
  return reply;
}
}  // namespace

json::object login(ws_client& console, std::uint16_t port, const std::string& username, const std::string& password) {
  console.connect(port, "/ws/advisor");
  json::object reply =
      finish_login(console, json::object{{"type", "login"}, {"username", username}, {"password", password}});
  if (str(obj(reply, "advisor"), "id") != username) fail(console, "logged_in is for another advisor");
  return reply;
}

json::object login_with_token(ws_client& console, std::uint16_t port, const std::string& token) {
  console.connect(port, "/ws/advisor");
  return finish_login(console, json::object{{"type", "login"}, {"token", token}});
}

void set_presence(ws_client& console, const std::string& status) {
  std::string ref = next_ref();
  console.send(json::object{{"type", "presence"}, {"status", status}, {"ref", ref}});
  console.recv_match(
      [&](const json::object& f) {
        if (is_type(f, "error") && has_string(f, "ref", ref)) fail(console, "presence refused: " + describe(f));
        return is_type(f, "presence") && has_string(f, "status", status);
      },
      "presence " + status);
}

json::object expect_offer(ws_client& console, const std::string& conversation_id) {
  return console.recv_match(
      [&](const json::object& f) { return is_type(f, "offer") && nested_id_is(f, "conversation", conversation_id); },
      "offer of " + conversation_id);
}

json::object accept(ws_client& console, const std::string& conversation_id) {
  json::object reply = require_reply(
      console,
      console.request(json::object{{"type", "accept"}, {"conversation_id", conversation_id}, {"ref", next_ref()}}),
      "conversation", "accept " + conversation_id);
  json::object conversation = obj(reply, "conversation");
  if (str(conversation, "id") != conversation_id) fail(console, "accept answered with another conversation");
  if (str(conversation, "state") != "active") fail(console, "an accepted conversation is not active");
  return conversation;
}

json::object take_offer(ws_client& console, const std::string& conversation_id) {
  expect_offer(console, conversation_id);
  return accept(console, conversation_id);
}

std::int64_t advisor_says(ws_client& console, const std::string& conversation_id, const std::string& client_id,
                          const std::string& text) {
  std::string ref = next_ref();
  console.send(json::object{{"type", "message"},
                            {"conversation_id", conversation_id},
                            {"client_id", client_id},
                            {"text", text},
                            {"ref", ref}});
  json::object ack = console.recv_match(
      [&](const json::object& f) {
        if (is_type(f, "error") && has_string(f, "ref", ref)) fail(console, "message refused: " + describe(f));
        return is_type(f, "ack") && has_string(f, "client_id", client_id);
      },
      "ack of " + client_id);
  if (str(ack, "conversation_id") != conversation_id) fail(console, "ack names another conversation");
  return integer(ack, "seq");
}

std::vector<json::object> history(ws_client& console, const std::string& conversation_id, std::int64_t after_seq) {
  json::object reply = require_reply(console,
                                     console.request(json::object{{"type", "history"},
                                                                  {"conversation_id", conversation_id},
                                                                  {"after_seq", after_seq},
                                                                  {"ref", next_ref()}}),
                                     "history", "history");
  if (str(reply, "conversation_id") != conversation_id) fail(console, "history of another conversation");
  return test_support::objects(reply, "messages");
}

// ---- visitor widget --------------------------------------------------------------------------

json::object visitor_hello(ws_client& widget, std::uint16_t port, const std::optional<std::string>& resume,
                           std::optional<std::int64_t> last_seq) {
  widget.connect(port, "/ws/visitor");
  json::object hello{{"type", "hello"}, {"v", 1}, {"lang", "en"}};
  if (resume) hello["resume"] = *resume;
  if (last_seq) hello["last_seq"] = *last_seq;
  widget.send(hello);
  json::object welcome =
      widget.recv_match([](const json::object& f) { return is_type(f, "welcome") || is_type(f, "error"); },
                        "welcome");
  if (!is_type(welcome, "welcome")) fail(widget, "hello refused: " + describe(welcome));
  if (integer(welcome, "v") != 1) fail(widget, "welcome.v is not 1");
  return welcome;
}

std::string choose_answer(const json::object& question, const screening_policy& policy) {
  std::string id = str(question, "id");
  if (auto it = policy.answers.find(id); it != policy.answers.end()) return it->second;
  if (str(question, "kind") == "free_text") return policy.free_text;
  // The safest choice first: options that disclose nothing.
  static const std::vector<std::string> safest{"no", "none", "neither", "none_known", "not_sure", "other", "talk"};
  std::vector<std::string> values;
  for (const json::value& o : test_support::arr(question, "options")) values.push_back(str(o.as_object(), "value"));
  for (const std::string& preferred : safest) {
    for (const std::string& v : values) {
      if (v == preferred) return v;
    }
  }
  if (values.empty()) throw protocol_failure("choice question without options: " + describe(question));
  return values.front();
}

visitor_conversation start_conversation(ws_client& widget, const std::string& caller_type,
                                        const screening_policy& policy) {
  visitor_conversation c;
  c.started = require_reply(widget,
                            widget.request(json::object{{"type", "start"},
                                                        {"caller_type", caller_type},
                                                        {"lang", policy.lang},
                                                        {"ref", next_ref()}}),
                            "started", "start");
  c.id = str(c.started, "conversation_id");
  c.resume_token = str(c.started, "resume_token");
  if (str(c.started, "state") != "screening") fail(widget, "a started conversation is not in screening");

  // Bounded: a script longer than this is a loop in the server.
  for (int step = 0; step < 50; ++step) {
    json::object f = widget.recv_match(
        [](const json::object& x) { return is_type(x, "question") || is_type(x, "queue") || is_type(x, "error"); },
        "question or queue");
    if (is_type(f, "error")) fail(widget, "screening refused an answer: " + describe(f));
    if (is_type(f, "queue")) {
      c.first_queue = f;
      return c;
    }
    const json::object& q = obj(f, "question");
    std::string value = choose_answer(q, policy);
    c.questions.push_back(q);
    c.answers.push_back(value);
    widget.send(json::object{
        {"type", "answer"}, {"question_id", str(q, "id")}, {"value", value}, {"ref", next_ref()}});
  }
  fail(widget, "screening did not end after 50 questions");
}

visitor_conversation connect_and_start(ws_client& widget, std::uint16_t port, const std::string& caller_type,
                                       const screening_policy& policy) {
  json::object welcome = visitor_hello(widget, port);
  if (!test_support::boolean(welcome, "open")) fail(widget, "the line is closed in a test that needs it open");
  return start_conversation(widget, caller_type, policy);
}

std::int64_t visitor_says(ws_client& widget, const std::string& client_id, const std::string& text) {
  std::string ref = next_ref();
  widget.send(json::object{{"type", "message"}, {"client_id", client_id}, {"text", text}, {"ref", ref}});
  json::object ack = widget.recv_match(
      [&](const json::object& f) {
        if (is_type(f, "error") && has_string(f, "ref", ref)) fail(widget, "message refused: " + describe(f));
        return is_type(f, "ack") && has_string(f, "client_id", client_id);
      },
      "ack of " + client_id);
  return integer(ack, "seq");
}

json::object expect_message(ws_client& c, std::int64_t seq, const std::string& from,
                            const std::optional<std::string>& text) {
  json::object m = c.recv_match(
      [&](const json::object& f) {
        const json::value* s = f.if_contains("seq");
        return is_type(f, "message") && s != nullptr && s->is_int64() && s->as_int64() == seq;
      },
      "message " + std::to_string(seq));
  if (str(m, "from") != from) fail(c, "message " + std::to_string(seq) + " is from " + str(m, "from") + ", not " + from);
  if (text && str(m, "text") != *text) fail(c, "message " + std::to_string(seq) + " has another text");
  return m;
}

json::object expect_queue_position(ws_client& widget, std::int64_t position) {
  return widget.recv_match(
      [&](const json::object& f) {
        const json::value* p = f.if_contains("position");
        return is_type(f, "queue") && p != nullptr && p->is_int64() && p->as_int64() == position;
      },
      "queue at position " + std::to_string(position));
}

json::object expect_error(ws_client& c, json::object request, const std::string& code) {
  std::string ref = next_ref();
  request["ref"] = ref;
  json::object reply = c.request(request);
  if (!is_error(reply, code)) fail(c, "expected error " + code + ", got " + describe(reply));
  return reply;
}

}  // namespace integration
