#include "triage/screening_script.hpp"

#include <boost/json/array.hpp>
#include <utility>

namespace triage {

screening_script::screening_script(caller_type type, std::string lang,
                                   std::vector<script_question> questions,
                                   std::vector<support_service> services,
                                   std::vector<support_service> urgent_help)
    : type_(type),
      lang_(std::move(lang)),
      questions_(std::move(questions)),
      services_(std::move(services)),
      urgent_help_(std::move(urgent_help)) {
  if (questions_.empty()) throw std::invalid_argument("screening_script: no questions");
}

const script_question* screening_script::find(std::string_view question_id) const {
  // Scripts have a handful of questions: a linear scan is the fastest lookup there is.
  for (const auto& q : questions_) {
    if (q.id == question_id) return &q;
  }
  return nullptr;
}

script_step screening_script::answer(std::string_view question_id, std::string_view value) const {
  const script_question* q = find(question_id);
  if (q == nullptr) throw invalid_answer("unknown question '" + std::string(question_id) + "'");
  script_step step;
  std::string_view next = q->next;
  if (q->type == script_question::kind::free_text) {
    if (value.size() > max_free_text_bytes) {
      throw invalid_answer("answer to '" + q->id + "' is longer than " +
                           std::to_string(max_free_text_bytes) + " bytes");
    }
  } else {
    const script_option* chosen = nullptr;
    for (const auto& o : q->options) {
      if (o.value == value) chosen = &o;
    }
    // The value is not echoed: it is visitor input and may be anything.
    if (chosen == nullptr) throw invalid_answer("not an option of question '" + q->id + "'");
    step.categories = chosen->categories;
    step.show_services = chosen->show_services;
    if (!chosen->next.empty()) next = chosen->next;
  }
  if (!next.empty()) {
    step.next = find(next);
    // The catalogue rejects dangling references on load; reaching this is a programming error.
    if (step.next == nullptr) throw std::logic_error("screening_script: dangling next");
  }
  return step;
}

std::string_view to_string(script_question::kind kind) noexcept {
  return kind == script_question::kind::choice ? "choice" : "free_text";
}

boost::json::object to_json(const script_question& q) {
  boost::json::object out;
  out["id"] = q.id;
  out["kind"] = to_string(q.type);
  out["text"] = q.text;
  boost::json::array options;
  for (const auto& o : q.options) {
    options.push_back(boost::json::object{{"value", o.value}, {"label", o.label}});
  }
  out["options"] = std::move(options);
  return out;
}

boost::json::object to_json(const support_service& s) {
  return boost::json::object{
      {"name", s.name}, {"phone", s.phone}, {"url", s.url}, {"description", s.description}};
}

}  // namespace triage
