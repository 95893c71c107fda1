#include "triage/corpus_evaluation.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <ostream>

#include "triage/content_error.hpp"
#include "triage/taxonomy.hpp"

namespace triage {
namespace fs = std::filesystem;

namespace {

std::set<std::string> id_list(const boost::json::object& doc, const char* key, bool categories, const fs::path& file,
                              std::size_t line) {
  std::set<std::string> out;
  const auto* v = doc.if_contains(key);
  if (!v) {
    if (categories) throw content_error(file, line, std::string("missing \"") + key + "\"");
    return out;
  }
  if (!v->is_array()) throw content_error(file, line, std::string("\"") + key + "\" must be an array");
  for (const auto& c : v->get_array()) {
    if (!c.is_string()) throw content_error(file, line, std::string("\"") + key + "\" must hold strings");
    const std::string id(c.get_string());
    if (categories ? !category_severity(id) : !is_cue(id))
      throw content_error(file, line, "unknown " + std::string(categories ? "category" : "cue") + " id '" + id + "'");
    out.insert(id);
  }
  return out;
}

std::string string_field(const boost::json::object& doc, const char* key) {
  const auto* v = doc.if_contains(key);
  return v && v->is_string() ? std::string(v->get_string()) : std::string{};
}

void count(evaluation_figures& f, const screened_message& s) {
  const auto& m = *s.message;
  ++f.messages;
  if (m.categories.empty()) {
    ++f.benign;
    if (!s.found.empty()) ++f.benign_flagged;
  } else {
    ++f.risk_messages;
    if (s.level < s.expected_level) ++f.under_triaged;
  }
  if (s.level > s.expected_level) ++f.over_triaged;
  if (s.expected_level == risk_level::imminent) {
    ++f.imminent_level.expected;
    if (s.level == risk_level::imminent) ++f.imminent_level.found;
  }
  for (const auto& c : m.categories) {
    const bool got = s.found.count(c) > 0;
    auto& pc = f.per_category[c];
    ++pc.expected;
    ++f.all_categories.expected;
    if (got) {
      ++pc.found;
      ++f.all_categories.found;
    }
    if (category_severity(c) >= risk_level::high) {
      ++f.high_categories.expected;
      if (got) ++f.high_categories.found;
    }
  }
  for (const auto& c : s.found) {
    if (!m.categories.count(c)) ++f.extra_per_category[c];
  }
}

std::string percent(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", v * 100.0);
  return buf;
}

std::string ratio(const recall_count& r) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3f (%zu/%zu)", r.rate(), r.found, r.expected);
  return buf;
}

void print_figures(std::ostream& out, const std::string& name, const evaluation_figures& f) {
  char line[512];
  std::snprintf(line, sizeof line, "%-22s %5zu %5zu  %-18s %-18s %-20s %6s (%zu) %6s (%zu)\n", name.c_str(), f.messages,
                f.benign, ratio(f.imminent_level).c_str(), ratio(f.high_categories).c_str(),
                ratio(f.all_categories).c_str(), percent(f.false_alarm_rate()).c_str(), f.benign_flagged,
                percent(f.under_triage_rate()).c_str(), f.under_triaged);
  out << line;
}

std::string joined(const std::set<std::string>& s) {
  std::string out;
  for (const auto& x : s) out += (out.empty() ? "" : ",") + x;
  return out.empty() ? "-" : out;
}

}  // namespace

std::vector<labelled_message> read_labelled_corpus(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw content_error(file, 0, "cannot open file");
  std::vector<labelled_message> out;
  std::set<std::string> ids;
  std::string text;
  std::size_t number = 0;
  while (std::getline(in, text)) {
    ++number;
    if (text.empty() || text.find_first_not_of(" \t\r") == std::string::npos) continue;
    boost::system::error_code ec;
    auto value = boost::json::parse(text, ec);
    if (ec) throw content_error(file, number, "invalid JSON: " + ec.message());
    if (!value.is_object()) throw content_error(file, number, "a line must be a JSON object");
    const auto& doc = value.get_object();
    labelled_message m;
    m.part = file.stem().string();
    m.id = string_field(doc, "id");
    if (m.id.empty()) m.id = m.part + ":" + std::to_string(number);
    if (!ids.insert(m.id).second) throw content_error(file, number, "duplicate id '" + m.id + "'");
    m.lang = string_field(doc, "lang");
    if (m.lang.empty()) throw content_error(file, number, "missing \"lang\"");
    m.caller = string_field(doc, "caller");
    m.family = string_field(doc, "family");
    if (const auto* t = doc.if_contains("text"); t && t->is_string()) {
      m.messages.emplace_back(t->get_string());
    } else if (const auto* ms = doc.if_contains("messages"); ms && ms->is_array() && !ms->get_array().empty()) {
      for (const auto& x : ms->get_array()) {
        if (!x.is_string()) throw content_error(file, number, "\"messages\" must hold strings");
        m.messages.emplace_back(x.get_string());
      }
    } else {
      throw content_error(file, number, "needs a string \"text\" or a non-empty \"messages\" array");
    }
    m.categories = id_list(doc, "categories", true, file, number);
    m.cues = id_list(doc, "cues", false, file, number);
    out.push_back(std::move(m));
  }
  return out;
}

corpus_evaluation evaluate_corpus(const screening_engine& engine, const std::vector<labelled_message>& corpus,
                                  bool use_model) {
  corpus_evaluation e;
  e.screened.reserve(corpus.size());
  for (const auto& m : corpus) {
    screened_message s;
    s.message = &m;
    screening_context context;
    std::set<std::string> rule_found;
    for (const auto& text : m.messages) {
      auto r = engine.screen_in_conversation(text, m.lang, context);
      for (const auto& f : r.flags) {
        if (f.source == flag_source::model) {
          if (use_model) s.found.insert(f.category);
        } else {
          rule_found.insert(f.category);
          s.found.insert(f.category);
        }
      }
      context = std::move(r.context);
    }
    for (const auto& c : s.found) {
      if (!rule_found.count(c)) s.found_by_model.insert(c);
    }
    s.expected_level = engine.level_for(m.categories);
    s.level = engine.level_for(s.found);
    e.screened.push_back(std::move(s));
  }
  for (const auto& s : e.screened) {
    count(e.overall, s);
    count(e.per_language[s.message->lang], s);
    count(e.per_part[s.message->part], s);
    if (s.message->categories.empty()) {
      const std::string family = s.message->family.empty() ? "(none)" : s.message->family;
      count(e.per_family[family], s);
    }
  }
  return e;
}

void print_evaluation(std::ostream& out, const corpus_evaluation& e, bool misses) {
  out << "                       msgs  benign imminent-level     high categories    all categories       false alarms  under-triage\n";
  print_figures(out, "all", e.overall);
  for (const auto& [lang, f] : e.per_language) print_figures(out, "lang " + lang, f);
  if (e.per_part.size() > 1) {
    for (const auto& [part, f] : e.per_part) print_figures(out, "part " + part, f);
  }
  out << "\ncategory            recall               extra flags\n";
  for (const auto& c : taxonomy_categories) {
    const std::string id(c.id);
    auto it = e.overall.per_category.find(id);
    const recall_count r = it == e.overall.per_category.end() ? recall_count{} : it->second;
    auto ex = e.overall.extra_per_category.find(id);
    char line[256];
    std::snprintf(line, sizeof line, "%-19s %-20s %zu\n", id.c_str(), ratio(r).c_str(),
                  ex == e.overall.extra_per_category.end() ? std::size_t{0} : ex->second);
    out << line;
  }
  if (!e.per_family.empty()) {
    out << "\nbenign family        messages  flagged\n";
    for (const auto& [family, f] : e.per_family) {
      char line[256];
      std::snprintf(line, sizeof line, "%-20s %8zu %8zu\n", family.c_str(), f.messages, f.benign_flagged);
      out << line;
    }
  }
  if (!misses) return;
  out << "\nmisses (expected level > screened level, missed and extra categories):\n";
  for (const auto& s : e.screened) {
    const auto& m = *s.message;
    std::set<std::string> missed, extra;
    for (const auto& c : m.categories) {
      if (!s.found.count(c)) missed.insert(c);
    }
    for (const auto& c : s.found) {
      if (!m.categories.count(c)) extra.insert(c);
    }
    if (missed.empty() && extra.empty() && s.level >= s.expected_level) continue;
    out << m.id << " [" << m.lang << "] " << to_string(s.expected_level) << "->" << to_string(s.level)
        << " missed=" << joined(missed) << " extra=" << joined(extra);
    if (!s.found_by_model.empty()) out << " model=" << joined(s.found_by_model);
    out << "\n    ";
    for (std::size_t i = 0; i < m.messages.size(); ++i) out << (i ? " || " : "") << m.messages[i];
    out << "\n";
  }
}

int run_evaluation(const screening_engine& engine, const std::vector<fs::path>& paths, std::ostream& out,
                   bool misses, bool use_model) {
  std::vector<fs::path> files;
  for (const auto& p : paths) {
    if (fs::is_directory(p)) {
      std::vector<fs::path> found;
      for (auto& entry : fs::directory_iterator(p)) {
        if (entry.is_regular_file() && entry.path().extension() == ".jsonl") found.push_back(entry.path());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(p);
    }
  }
  std::vector<labelled_message> corpus;
  for (const auto& f : files) {
    auto part = read_labelled_corpus(f);
    corpus.insert(corpus.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
  }
  print_evaluation(out, evaluate_corpus(engine, corpus, use_model), misses);
  return 0;
}

}  // namespace triage
