#include "triage/script_catalogue.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "content_json_file.hpp"
#include "triage/content_error.hpp"
#include "triage/taxonomy.hpp"

namespace triage {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using anchor = content_json_file::anchor;

// Bounds: content is edited by hand; anything beyond these is a mistake, refused on load.
constexpr std::size_t max_file_bytes = 256 * 1024;
constexpr std::size_t max_script_files = 64;
constexpr std::size_t max_questions = 20;
constexpr std::size_t max_options = 12;
constexpr std::size_t max_languages = 40;
constexpr std::size_t max_services = 20;
constexpr std::size_t max_question_text = 600;
constexpr std::size_t max_label_text = 200;

constexpr std::string_view purpose_immediate_danger = "immediate_danger";

bool is_identifier(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// BCP 47-ish: "en", "pl", "pt-BR", "zh-Hant".
bool is_language_tag(std::string_view s) {
  if (s.size() < 2 || s.size() > 16) return false;
  std::size_t i = 0;
  while (i < s.size() && s[i] >= 'a' && s[i] <= 'z') ++i;
  if (i < 2 || i > 3) return false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    const bool ok = c == '-' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return s.back() != '-';
}

// A question or option as written in the file: texts per language.
struct raw_option {
  std::string value;
  json::object label;
  std::vector<std::string> categories;
  std::string next;
  bool show_services = false;
};
struct raw_question {
  std::string id;
  script_question::kind type = script_question::kind::choice;
  json::object text;
  std::vector<raw_option> options;
  std::string next;
  std::string purpose;
};
struct raw_service {
  json::value name, phone, url, description;
};

class script_file_reader {
 public:
  explicit script_file_reader(const fs::path& file) : f_(file, max_file_bytes) {}

  caller_type type;
  std::string default_language;
  std::vector<std::string> languages;
  std::vector<raw_question> questions;
  std::vector<raw_service> services;
  std::vector<raw_service> urgent_help;

  void read() {
    const auto& root = f_.object(f_.root(), "script", {});
    f_.check_keys(root, {"caller_type", "default_language", "languages", "questions", "services", "urgent_help"},
                  "script", {});
    const std::string type_id = f_.string(root, "caller_type", "script", {});
    const auto parsed = parse_caller_type(type_id);
    if (!parsed) {
      f_.fail({"caller_type", type_id}, "unknown caller_type '" + type_id +
                                            "' (known: own_behaviour, professional, "
                                            "friend_family, experiencing_abuse)");
    }
    type = *parsed;
    default_language = f_.optional_string(root, "default_language", "script", {})
                           .value_or(std::string(script_catalogue::default_lang));
    languages = f_.strings(root, "languages", "script", {"languages", ""});
    if (languages.empty()) languages.push_back(default_language);
    if (languages.size() > max_languages) f_.fail({"languages", ""}, "too many languages");
    for (const auto& l : languages) {
      if (!is_language_tag(l)) f_.fail({"languages", ""}, "'" + l + "' is not a language tag");
      if (std::count(languages.begin(), languages.end(), l) > 1) {
        f_.fail({"languages", ""}, "language '" + l + "' listed twice");
      }
    }
    if (std::find(languages.begin(), languages.end(), default_language) == languages.end()) {
      f_.fail({"default_language", default_language},
              "default_language '" + default_language + "' is not in languages");
    }
    const auto* qs = root.if_contains("questions");
    if (qs == nullptr) f_.fail({}, "script: 'questions' is required");
    const auto& qarr = f_.array(*qs, "questions", {"questions", ""});
    if (qarr.empty()) f_.fail({"questions", ""}, "script has no questions");
    if (qarr.size() > max_questions) {
      f_.fail({"questions", ""}, "script has " + std::to_string(qarr.size()) +
                                     " questions; at most " + std::to_string(max_questions) +
                                     " (keep screening short)");
    }
    for (const auto& qv : qarr) questions.push_back(read_question(qv));
    if (const auto* sv = root.if_contains("services")) {
      const auto& sarr = f_.array(*sv, "services", {"services", ""});
      if (sarr.size() > max_services) f_.fail({"services", ""}, "too many services");
      for (const auto& s : sarr) services.push_back(read_service(s));
    }
    if (const auto* uv = root.if_contains("urgent_help")) {
      const auto& uarr = f_.array(*uv, "urgent_help", {"urgent_help", ""});
      if (uarr.size() > max_services) f_.fail({"urgent_help", ""}, "too many urgent_help entries");
      for (const auto& s : uarr) urgent_help.push_back(read_service(s, {"urgent_help", ""}));
    }
  }

  void validate() {
    std::set<std::string, std::less<>> ids;
    for (const auto& q : questions) {
      if (!ids.insert(q.id).second) f_.fail({"id", q.id}, "question id '" + q.id + "' used twice");
    }
    for (const auto& q : questions) {
      const anchor at{"id", q.id};
      const std::string where = "question '" + q.id + "'";
      check_texts(q.text, where + " text", at, max_question_text);
      if (!q.purpose.empty() && q.purpose != purpose_immediate_danger) {
        f_.fail(at, where + ": unknown purpose '" + q.purpose + "' (known: immediate_danger)");
      }
      if (!q.next.empty() && !ids.contains(q.next)) {
        f_.fail(at, where + ": next '" + q.next + "' is not a question of this script");
      }
      if (q.type == script_question::kind::free_text) {
        if (!q.options.empty()) f_.fail(at, where + ": free_text questions have no options");
        if (q.purpose == purpose_immediate_danger) {
          f_.fail(at, where + ": an immediate_danger question must be a choice with an answer "
                              "mapping to imminent_danger");
        }
        continue;
      }
      if (q.options.size() < 2) f_.fail(at, where + ": a choice needs at least two options");
      if (q.options.size() > max_options) f_.fail(at, where + ": too many options");
      bool maps_to_danger = false;
      std::set<std::string, std::less<>> values;
      for (const auto& o : q.options) {
        const std::string owhere = where + " option '" + o.value + "'";
        if (!values.insert(o.value).second) f_.fail(at, owhere + " used twice");
        check_texts(o.label, owhere + " label", at, max_label_text);
        for (const auto& c : o.categories) {
          if (!category_severity(c)) {
            f_.fail(at, owhere + ": unknown category '" + c +
                            "' (see docs/risk-taxonomy.md)");
          }
          if (c == "imminent_danger") maps_to_danger = true;
        }
        if (!o.next.empty() && !ids.contains(o.next)) {
          f_.fail(at, owhere + ": next '" + o.next + "' is not a question of this script");
        }
      }
      if (q.purpose == purpose_immediate_danger && !maps_to_danger) {
        f_.fail(at, where + ": an immediate_danger question needs an answer mapping to "
                            "imminent_danger");
      }
    }
    if (type == caller_type::own_behaviour &&
        questions.front().purpose != purpose_immediate_danger) {
      f_.fail({"id", questions.front().id},
              "question '" + questions.front().id +
                  "': the first question of an own_behaviour script must ask about immediate "
                  "danger (\"purpose\": \"immediate_danger\")");
    }
    check_graph();
    if (type == caller_type::experiencing_abuse && services.empty()) {
      f_.fail({"caller_type", "experiencing_abuse"},
              "an experiencing_abuse script needs a 'services' list (shown to the visitor at once)");
    }
    for (const auto& q : questions) {
      for (const auto& o : q.options) {
        if (o.show_services && services.empty()) {
          f_.fail({"id", q.id}, "question '" + q.id + "' option '" + o.value +
                                    "': show_services but the script has no 'services' list");
        }
      }
    }
    for (std::size_t i = 0; i < services.size(); ++i) {
      const std::string where = "service " + std::to_string(i + 1);
      for (const auto* v : {&services[i].name, &services[i].description}) {
        if (v->is_object()) check_texts(v->get_object(), where, {"services", ""}, max_label_text * 3);
      }
    }
    // A visitor who discloses danger is shown this at once; a script without it would leave them
    // with nothing but a queue position.
    if (urgent_help.empty()) {
      f_.fail({}, "script: 'urgent_help' is required: what a visitor in danger is shown at once "
                  "(the emergency number first, then lines that fit this caller type)");
    }
    bool has_phone = false;
    for (std::size_t i = 0; i < urgent_help.size(); ++i) {
      const std::string where = "urgent_help " + std::to_string(i + 1);
      for (const auto* v : {&urgent_help[i].name, &urgent_help[i].description}) {
        if (v->is_object()) check_texts(v->get_object(), where, {"urgent_help", ""}, max_label_text * 3);
      }
      if (!(urgent_help[i].phone.is_string() && urgent_help[i].phone.get_string().empty())) has_phone = true;
    }
    if (!has_phone) f_.fail({"urgent_help", ""}, "urgent_help: at least one entry needs a phone number");
  }

  screening_script build(const std::string& lang) const {
    std::vector<script_question> out;
    for (const auto& rq : questions) {
      script_question q;
      q.id = rq.id;
      q.type = rq.type;
      q.text = text_in(rq.text, lang);
      q.next = rq.next;
      q.purpose = rq.purpose;
      for (const auto& ro : rq.options) {
        q.options.push_back(
            {ro.value, text_in(ro.label, lang), ro.categories, ro.next, ro.show_services});
      }
      out.push_back(std::move(q));
    }
    auto localised = [&](const std::vector<raw_service>& list) {
      std::vector<support_service> svc;
      for (const auto& s : list) {
        svc.push_back({value_in(s.name, lang), value_in(s.phone, lang), value_in(s.url, lang),
                       value_in(s.description, lang)});
      }
      return svc;
    };
    return screening_script(type, lang, std::move(out), localised(services), localised(urgent_help));
  }

  const content_json_file& file() const { return f_; }

 private:
  raw_question read_question(const json::value& qv) {
    const auto& o = f_.object(qv, "question", {"questions", ""});
    const std::string id = f_.string(o, "id", "question", {"questions", ""});
    const anchor at{"id", id};
    const std::string where = "question '" + id + "'";
    if (!is_identifier(id)) f_.fail(at, where + ": ids use a-z, 0-9 and _");
    f_.check_keys(o, {"id", "kind", "text", "options", "next", "purpose"}, where, at);
    raw_question q;
    q.id = id;
    const std::string kind = f_.optional_string(o, "kind", where, at).value_or("choice");
    if (kind == "free_text") {
      q.type = script_question::kind::free_text;
    } else if (kind != "choice") {
      f_.fail(at, where + ": kind must be choice or free_text, not '" + kind + "'");
    }
    const auto* text = o.if_contains("text");
    if (text == nullptr) f_.fail(at, where + ": 'text' is required");
    q.text = f_.object(*text, where + " text (one entry per language)", at);
    q.next = f_.optional_string(o, "next", where, at).value_or("");
    q.purpose = f_.optional_string(o, "purpose", where, at).value_or("");
    if (const auto* opts = o.if_contains("options")) {
      for (const auto& ov : f_.array(*opts, where + " options", at)) {
        const auto& oo = f_.object(ov, where + " option", at);
        raw_option opt;
        opt.value = f_.string(oo, "value", where + " option", at);
        const std::string owhere = where + " option '" + opt.value + "'";
        if (!is_identifier(opt.value)) f_.fail(at, owhere + ": values use a-z, 0-9 and _");
        f_.check_keys(oo, {"value", "label", "categories", "next", "show_services"}, owhere, at);
        const auto* label = oo.if_contains("label");
        if (label == nullptr) f_.fail(at, owhere + ": 'label' is required");
        opt.label = f_.object(*label, owhere + " label (one entry per language)", at);
        opt.categories = f_.strings(oo, "categories", owhere, at);
        opt.next = f_.optional_string(oo, "next", owhere, at).value_or("");
        opt.show_services = f_.boolean(oo, "show_services", false, owhere, at);
        q.options.push_back(std::move(opt));
      }
    }
    return q;
  }

  raw_service read_service(const json::value& sv, anchor at = {"services", ""}) {
    const auto& o = f_.object(sv, "service", at);
    f_.check_keys(o, {"name", "phone", "url", "description", "sample"}, "service", at);
    raw_service s;
    auto text_or_map = [&](std::string_view key, bool required) {
      const auto* v = o.if_contains(key);
      if (v == nullptr || v->is_null()) {
        if (required) f_.fail(at, "service: '" + std::string(key) + "' is required");
        return json::value(json::string());
      }
      if (!v->is_string() && !v->is_object()) {
        f_.fail(at, "service: '" + std::string(key) + "' must be text or texts per language");
      }
      return *v;
    };
    s.name = text_or_map("name", true);
    s.phone = text_or_map("phone", false);
    s.url = text_or_map("url", false);
    s.description = text_or_map("description", false);
    if (s.phone.is_string() && s.phone.get_string().empty() && s.url.is_string() &&
        s.url.get_string().empty()) {
      f_.fail(at, "service: needs a phone number or a url");
    }
    return s;
  }

  // Every language of the script present, nothing else, non-empty, bounded.
  void check_texts(const json::object& texts, const std::string& where, anchor at,
                   std::size_t max_bytes) const {
    for (const auto& kv : texts) {
      const std::string lang(kv.key());
      if (std::find(languages.begin(), languages.end(), lang) == languages.end()) {
        f_.fail(at, where + ": text in '" + lang + "', which is not in the script's languages");
      }
      if (!kv.value().is_string() || kv.value().get_string().empty()) {
        f_.fail(at, where + ": text in '" + lang + "' must be non-empty text");
      }
      if (kv.value().get_string().size() > max_bytes) {
        f_.fail(at, where + ": text in '" + lang + "' is longer than " +
                        std::to_string(max_bytes) + " bytes");
      }
    }
    if (!texts.contains(default_language)) {
      f_.fail(at, where + ": missing in the default language '" + default_language + "'");
    }
    for (const auto& lang : languages) {
      if (!texts.contains(lang)) {
        f_.fail(at, where + ": missing translation in '" + lang + "' (present in '" +
                        default_language + "')");
      }
    }
  }

  // Every question reachable from the first; no cycles (a visitor must always reach the end).
  void check_graph() const {
    const std::size_t n = questions.size();
    auto index_of = [&](std::string_view id) {
      for (std::size_t i = 0; i < n; ++i) {
        if (questions[i].id == id) return i;
      }
      return n;
    };
    std::vector<std::vector<std::size_t>> edges(n);
    for (std::size_t i = 0; i < n; ++i) {
      if (!questions[i].next.empty()) edges[i].push_back(index_of(questions[i].next));
      for (const auto& o : questions[i].options) {
        if (!o.next.empty()) edges[i].push_back(index_of(o.next));
      }
    }
    enum class mark { unseen, open, done };
    std::vector<mark> marks(n, mark::unseen);
    // Iterative DFS: an edge to an open node is a cycle.
    std::vector<std::pair<std::size_t, std::size_t>> stack{{0, 0}};
    marks[0] = mark::open;
    while (!stack.empty()) {
      auto& [node, edge] = stack.back();
      if (edge == edges[node].size()) {
        marks[node] = mark::done;
        stack.pop_back();
        continue;
      }
      const std::size_t to = edges[node][edge++];
      if (marks[to] == mark::open) {
        f_.fail({"id", questions[node].id},
                "question '" + questions[node].id + "': next '" + questions[to].id +
                    "' makes a cycle; a script must always come to an end");
      }
      if (marks[to] == mark::unseen) {
        marks[to] = mark::open;
        stack.emplace_back(to, 0);
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (marks[i] == mark::unseen) {
        f_.fail({"id", questions[i].id}, "question '" + questions[i].id +
                                             "' is unreachable from the first question '" +
                                             questions[0].id + "'");
      }
    }
  }

  std::string text_in(const json::object& texts, const std::string& lang) const {
    const auto* v = texts.if_contains(lang);
    if (v == nullptr) v = texts.if_contains(default_language);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
  }
  std::string value_in(const json::value& v, const std::string& lang) const {
    if (v.is_string()) return std::string(v.get_string());
    if (v.is_object()) return text_in(v.get_object(), lang);
    return {};
  }

  content_json_file f_;
};

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace

std::shared_ptr<const script_catalogue> script_catalogue::load(const fs::path& content_dir) {
  const fs::path dir = content_dir / "scripts";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw content_error(dir, 0, "scripts directory not found");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".json" && entry.is_regular_file()) {
      files.push_back(entry.path());
    }
    if (files.size() > max_script_files) throw content_error(dir, 0, "too many script files");
  }
  std::sort(files.begin(), files.end());

  auto catalogue = std::make_shared<script_catalogue>();
  std::map<caller_type, fs::path> seen;
  for (const auto& file : files) {
    script_file_reader reader(file);
    reader.read();
    reader.validate();
    if (auto [it, inserted] = seen.emplace(reader.type, file); !inserted) {
      throw content_error(file, 0, "caller_type '" + std::string(to_string(reader.type)) +
                                       "' already has a script in " + it->second.string());
    }
    per_type& slot = catalogue->scripts_[reader.type];
    slot.default_lang = reader.default_language;
    for (const auto& lang : reader.languages) slot.by_lang.emplace(lang, reader.build(lang));
  }
  for (auto id : caller_type_ids) {
    if (!catalogue->scripts_.contains(*parse_caller_type(id))) {
      throw content_error(dir, 0, "no script for caller_type '" + std::string(id) + "'");
    }
  }
  return catalogue;
}

const screening_script& script_catalogue::find(caller_type type, std::string_view lang) const {
  const per_type& slot = scripts_.at(type);  // load() guarantees every caller type
  if (auto it = slot.by_lang.find(lang); it != slot.by_lang.end()) return it->second;
  std::string primary = lowercase(lang.substr(0, std::min(lang.find_first_of("-_"), lang.size())));
  if (auto it = slot.by_lang.find(primary); it != slot.by_lang.end()) return it->second;
  return slot.by_lang.at(slot.default_lang);
}

std::vector<std::string> script_catalogue::languages() const {
  std::set<std::string> all;
  for (const auto& [type, slot] : scripts_) {
    for (const auto& [lang, script] : slot.by_lang) all.insert(lang);
  }
  return {all.begin(), all.end()};
}

}  // namespace triage
