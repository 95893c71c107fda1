#pragma once
// One declarative screening script: the few short questions the widget asks a caller type in one
// language before queueing, with branching and the taxonomy categories each answer implies.
// Built and validated by script_catalogue (content/scripts/*.json); immutable afterwards.
#include <boost/json/object.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "triage/caller_type.hpp"

namespace triage {

struct script_option {
  std::string value;                    // stable id sent back by the widget ("yes", "no", ...)
  std::string label;                    // visible text in the script's language
  std::vector<std::string> categories;  // taxonomy category ids implied by this answer
  std::string next;                     // "" = follow the question's next (or end)
  bool show_services = false;           // the widget shows the script's services list at once
};

struct script_question {
  enum class kind { choice, free_text };
  std::string id;
  kind type = kind::choice;
  std::string text;
  std::vector<script_option> options;
  std::string next;     // default next question id; "" = end
  std::string purpose;  // "" or "immediate_danger"
};

struct script_step {
  const script_question* next = nullptr;  // nullptr = script finished
  std::vector<std::string> categories;
  bool show_services = false;  // the answer asked for the support services list
};

// An answer the script cannot accept (unknown question or option, free text too long).
class invalid_answer : public std::runtime_error {
 public:
  using runtime_error::runtime_error;
};

struct support_service {
  std::string name, phone, url, description;
};

class screening_script {
 public:
  // Free-text answers longer than this are refused (the widget limits input to the same size).
  static constexpr std::size_t max_free_text_bytes = 2000;

  // questions must be non-empty, ids unique and every next resolvable (script_catalogue checks).
  screening_script(caller_type type, std::string lang, std::vector<script_question> questions,
                   std::vector<support_service> services, std::vector<support_service> urgent_help = {});

  caller_type type() const { return type_; }
  const std::string& lang() const { return lang_; }
  const script_question& first() const { return questions_.front(); }
  const std::vector<script_question>& questions() const { return questions_; }
  const script_question* find(std::string_view question_id) const;
  // Validates the answer: unknown question or option -> invalid_answer; free text is accepted as
  // is (it is screened by the engine like any message) up to max_free_text_bytes.
  script_step answer(std::string_view question_id, std::string_view value) const;
  const std::vector<support_service>& services() const { return services_; }
  // Shown at once, whatever the queue, to a visitor whose conversation reaches high or imminent
  // risk: the emergency number and the lines that fit this caller type (for someone worried they
  // will hurt someone now, not only services for victims).
  const std::vector<support_service>& urgent_help() const { return urgent_help_; }

 private:
  caller_type type_;
  std::string lang_;
  std::vector<script_question> questions_;  // never resized after construction: steps point in
  std::vector<support_service> services_;
  std::vector<support_service> urgent_help_;
};

std::string_view to_string(script_question::kind kind) noexcept;

// {"id","kind":"choice|free_text","text","options":[{"value","label"}]}: what the widget shows.
// Categories and purposes stay on the server.
boost::json::object to_json(const script_question& q);
// {"name","phone","url","description"}
boost::json::object to_json(const support_service& s);

}  // namespace triage
