#include "app/app_config.hpp"

#include <unistd.h>

#include <boost/json.hpp>
#include <algorithm>
#include <cctype>
#include <deque>
#include <fstream>
#include <set>
#include <sstream>

extern char** environ;

namespace helpline {
namespace json = boost::json;
namespace {

// Reads typed values by dotted path; an environment variable HELPLINE_<PATH> (dots -> '_', upper
// case) overrides the file. Remembers what it read so unknown keys in the file are reported.
class config_reader {
 public:
  config_reader(json::object root, const std::map<std::string, std::string>& env)
      : root_(std::move(root)), env_(env) {}

  bool has(const std::string& path) { return find(path) != nullptr; }

  std::string get_string(const std::string& path, std::string fallback) {
    const json::value* v = find(path);
    if (!v) return fallback;
    if (!v->is_string()) throw config_error(path, "must be a string");
    return std::string(v->as_string());
  }

  long long get_int(const std::string& path, long long fallback, long long min, long long max) {
    const json::value* v = find(path);
    if (!v) return fallback;
    long long n = 0;
    if (v->is_int64()) {
      n = v->as_int64();
    } else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(max)) {
      n = static_cast<long long>(v->as_uint64());
    } else {
      throw config_error(path, "must be a whole number");
    }
    if (n < min || n > max) {
      throw config_error(path, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    return n;
  }

  double get_double(const std::string& path, double fallback, double min, double max) {
    const json::value* v = find(path);
    if (!v) return fallback;
    if (!v->is_number()) throw config_error(path, "must be a number");
    double d = v->to_number<double>();
    if (d < min || d > max) throw config_error(path, "out of range");
    return d;
  }

  bool get_bool(const std::string& path, bool fallback) {
    const json::value* v = find(path);
    if (!v) return fallback;
    if (!v->is_bool()) throw config_error(path, "must be true or false");
    return v->as_bool();
  }

  std::vector<std::string> get_strings(const std::string& path, std::vector<std::string> fallback) {
    const json::value* v = find(path);
    if (!v) return fallback;
    if (!v->is_array()) throw config_error(path, "must be a list of strings");
    std::vector<std::string> out;
    for (const auto& e : v->as_array()) {
      if (!e.is_string()) throw config_error(path, "must be a list of strings");
      out.emplace_back(e.as_string());
    }
    return out;
  }

  const json::value* get_value(const std::string& path) { return find(path); }

  // Every key of the file must have been read (a typo must not silently fall back to a default).
  void reject_unknown(const json::object& obj, const std::string& prefix) {
    for (const auto& kv : obj) {
      std::string path = prefix.empty() ? std::string(kv.key()) : prefix + "." + std::string(kv.key());
      if (read_.count(path)) continue;
      if (kv.value().is_object() && read_prefix(path)) {
        reject_unknown(kv.value().as_object(), path);
        continue;
      }
      throw config_error(path, "unknown key");
    }
  }
  const json::object& root() const { return root_; }

  // A mistyped HELPLINE_* variable must not silently leave a default in place either.
  void reject_unknown_environment() const {
    std::set<std::string> known;
    for (const auto& path : read_) known.insert(env_name_of(path));
    // Only names in a configuration section are settings; HELPLINE_CONFIG and the scripts' own
    // variables (HELPLINE_BUILD_JOBS, ...) are not.
    static constexpr std::array<std::string_view, 13> sections{
        "HELPLINE_NODE_", "HELPLINE_SERVER_", "HELPLINE_REDIS_", "HELPLINE_CONTENT_", "HELPLINE_DEFAULT_",
        "HELPLINE_HOURS_", "HELPLINE_ROUTING_", "HELPLINE_LIMITS_", "HELPLINE_AUTH_", "HELPLINE_CALLBACKS_",
        "HELPLINE_RETENTION_", "HELPLINE_EMERGENCY_", "HELPLINE_LOG_"};
    for (const auto& [name, value] : env_) {
      const bool setting = std::any_of(sections.begin(), sections.end(),
                                       [&](std::string_view p) { return name.rfind(p, 0) == 0; });
      if (!setting || known.count(name)) continue;
      std::string key = name.substr(9);
      std::transform(key.begin(), key.end(), key.begin(), [](unsigned char ch) { return std::tolower(ch); });
      throw config_error(key, "unknown setting (environment variable " + name + ")");
    }
  }

 private:
  static std::string env_name_of(const std::string& path) {
    std::string name = "HELPLINE_";
    for (char c : path) name += c == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return name;
  }

  bool read_prefix(const std::string& path) const {
    auto it = read_.lower_bound(path + ".");
    return it != read_.end() && it->rfind(path + ".", 0) == 0;
  }

  const json::value* find(const std::string& path) {
    read_.insert(path);
    if (auto it = env_.find(env_name_of(path)); it != env_.end()) {
      // Environment values are JSON when they parse as JSON (numbers, true, lists), else strings.
      json::error_code ec;
      json::value parsed = json::parse(it->second, ec);
      overrides_.push_back(ec ? json::value(json::string(it->second)) : std::move(parsed));
      return &overrides_.back();
    }
    const json::object* obj = &root_;
    std::size_t start = 0;
    while (true) {
      std::size_t dot = path.find('.', start);
      std::string part = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
      const json::value* v = obj->if_contains(part);
      if (!v) return nullptr;
      if (dot == std::string::npos) return v;
      if (!v->is_object()) throw config_error(path.substr(0, dot), "must be an object");
      obj = &v->as_object();
      start = dot + 1;
    }
  }

  json::object root_;
  const std::map<std::string, std::string>& env_;
  std::set<std::string> read_;
  std::deque<json::value> overrides_;  // stable addresses
};

int parse_hhmm(const std::string& key, const json::value& v) {
  if (!v.is_string()) throw config_error(key, "times are \"HH:MM\" strings");
  std::string s(v.as_string());
  if (s.size() != 5 || s[2] != ':' || !std::isdigit(static_cast<unsigned char>(s[0])) ||
      !std::isdigit(static_cast<unsigned char>(s[1])) || !std::isdigit(static_cast<unsigned char>(s[3])) ||
      !std::isdigit(static_cast<unsigned char>(s[4]))) {
    throw config_error(key, "times are \"HH:MM\" strings, got \"" + s + "\"");
  }
  int h = (s[0] - '0') * 10 + (s[1] - '0');
  int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0)) throw config_error(key, "no such time \"" + s + "\"");
  return h * 60 + m;
}

constexpr std::array<const char*, 7> day_keys{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

bool is_calendar_date(const std::string& s) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || std::sscanf(s.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) {
    return false;
  }
  return std::chrono::year_month_day{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}}.ok();
}

hours_config read_hours(config_reader& r) {
  hours_config h;
  h.timezone = r.get_string("hours.timezone", h.timezone);
  h.always_open = r.get_bool("hours.always_open", h.always_open);
  if (const json::value* weekly = r.get_value("hours.weekly")) {
    if (!weekly->is_object()) throw config_error("hours.weekly", "must be an object of day -> ranges");
    for (const auto& kv : weekly->as_object()) {
      std::string key = "hours.weekly." + std::string(kv.key());
      auto day = std::find(day_keys.begin(), day_keys.end(), std::string_view(kv.key()));
      if (day == day_keys.end()) throw config_error(key, "days are mon, tue, wed, thu, fri, sat, sun");
      if (!kv.value().is_array()) throw config_error(key, "must be a list of [\"HH:MM\", \"HH:MM\"]");
      auto& ranges = h.weekly[static_cast<std::size_t>(day - day_keys.begin())];
      for (const auto& range : kv.value().as_array()) {
        if (!range.is_array() || range.as_array().size() != 2) {
          throw config_error(key, "each range is [\"HH:MM\", \"HH:MM\"]");
        }
        time_range t{parse_hhmm(key, range.as_array()[0]), parse_hhmm(key, range.as_array()[1])};
        if (t.open >= t.close) throw config_error(key, "a range must open before it closes");
        ranges.push_back(t);
      }
    }
  }
  if (const json::value* closures = r.get_value("hours.closures")) {
    if (!closures->is_array()) throw config_error("hours.closures", "must be a list");
    for (const auto& c : closures->as_array()) {
      const auto* obj = c.if_object();
      const auto* date = obj ? obj->if_contains("date") : nullptr;
      if (!date || !date->is_string() || date->as_string().size() != 10) {
        throw config_error("hours.closures", "each closure is {\"date\": \"YYYY-MM-DD\", \"reason\": \"...\"}");
      }
      closure cl{std::string(date->as_string()), ""};
      if (!is_calendar_date(cl.date)) {
        throw config_error("hours.closures", "no such date \"" + cl.date + "\" (YYYY-MM-DD)");
      }
      if (const auto* reason = obj->if_contains("reason"); reason && reason->is_string()) {
        cl.reason = std::string(reason->as_string());
      }
      h.closures.push_back(std::move(cl));
    }
  }
  return h;
}

std::string default_node_id() {
  std::array<char, 256> host{};
  gethostname(host.data(), host.size() - 1);
  return std::string(host.data()) + "-" + std::to_string(getpid());
}

}  // namespace

std::map<std::string, std::string> app_config::environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    if (kv.rfind("HELPLINE_", 0) != 0) continue;
    auto eq = kv.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
  }
  return env;
}

app_config app_config::load(const std::filesystem::path& file,
                            const std::map<std::string, std::string>& env) {
  json::object root;
  if (!file.empty()) {
    std::ifstream in(file);
    if (!in) throw config_error(file.string(), "cannot read the configuration file");
    std::stringstream text;
    text << in.rdbuf();
    json::error_code ec;
    json::value v = json::parse(text.str(), ec);
    if (ec) throw config_error(file.string(), "not valid JSON: " + ec.message());
    if (!v.is_object()) throw config_error(file.string(), "must be a JSON object");
    root = std::move(v.as_object());
  }
  config_reader r(root, env);
  app_config c;
  c.node_id = r.get_string("node_id", default_node_id());
  if (c.node_id.empty() || c.node_id.size() > 64) throw config_error("node_id", "1-64 characters");

  auto& s = c.server;
  s.address = r.get_string("server.address", s.address);
  s.port = static_cast<std::uint16_t>(r.get_int("server.port", s.port, 0, 65535));
  s.threads = static_cast<std::size_t>(r.get_int("server.threads", static_cast<long long>(s.threads), 1, 64));
  s.max_connections = static_cast<std::size_t>(
      r.get_int("server.max_connections", static_cast<long long>(s.max_connections), 1, 1000000));
  s.max_message_bytes = static_cast<std::size_t>(
      r.get_int("server.max_message_bytes", static_cast<long long>(s.max_message_bytes), 1024, 1 << 20));
  s.idle_timeout = std::chrono::seconds(r.get_int("server.idle_timeout_seconds", s.idle_timeout.count(), 5, 3600));
  s.max_queued_messages = static_cast<std::size_t>(
      r.get_int("server.max_queued_messages", static_cast<long long>(s.max_queued_messages), 16, 100000));
  s.messages_per_second = r.get_double("server.messages_per_second", s.messages_per_second, 0.1, 1000);
  s.burst = r.get_double("server.burst", s.burst, 1, 10000);
  s.allowed_origins = r.get_strings("server.allowed_origins", s.allowed_origins);
  // HTTP bodies: only administrators send any (the programme directory), so 1 MiB by default.
  s.max_request_body_bytes = static_cast<std::size_t>(
      r.get_int("server.max_request_body_bytes", 1 << 20, 1024, 64 << 20));
  s.static_root = r.get_string("server.static_root", ".");
  std::string cert = r.get_string("server.tls.cert_file", "");
  std::string key = r.get_string("server.tls.key_file", "");
  if (cert.empty() != key.empty()) throw config_error("server.tls", "set both cert_file and key_file, or neither");
  if (!cert.empty()) s.tls = net::tls_options{cert, key};

  auto& rd = c.redis;
  rd.host = r.get_string("redis.host", rd.host);
  rd.port = static_cast<std::uint16_t>(r.get_int("redis.port", rd.port, 1, 65535));
  rd.password = r.get_string("redis.password", "");
  rd.db = static_cast<int>(r.get_int("redis.db", rd.db, 0, 15));
  rd.command_timeout = std::chrono::milliseconds(
      r.get_int("redis.command_timeout_ms", rd.command_timeout.count(), 100, 60000));

  c.content_dir = r.get_string("content_dir", c.content_dir.string());
  c.screening_model = r.get_string("screening_model", "");
  c.default_language = r.get_string("default_language", c.default_language);
  c.hours = read_hours(r);

  auto& rt = c.routing;
  rt.offer_timeout = std::chrono::seconds(r.get_int("routing.offer_timeout_seconds", rt.offer_timeout.count(), 1, 600));
  rt.skill_wait = std::chrono::seconds(r.get_int("routing.skill_wait_seconds", rt.skill_wait.count(), 0, 86400));
  rt.abandon_after = std::chrono::seconds(r.get_int("routing.abandon_after_seconds", rt.abandon_after.count(), 10, 86400));
  rt.tick = std::chrono::milliseconds(r.get_int("routing.tick_ms", rt.tick.count(), 50, 10000));
  static constexpr std::array<const char*, 5> level_names{"none", "low", "medium", "high", "imminent"};
  for (std::size_t i = 0; i < 4; ++i) {  // imminent always goes first
    rt.level_boost[i] = std::chrono::seconds(r.get_int(std::string("routing.ageing_seconds.") + level_names[i],
                                                       rt.level_boost[i].count(), 0, 7 * 86400));
  }
  for (std::size_t i = 1; i < 4; ++i) {
    if (rt.level_boost[i] < rt.level_boost[i - 1]) {
      throw config_error(std::string("routing.ageing_seconds.") + level_names[i],
                         "must not be below the boost of a lower level");
    }
  }
  rt.default_handle_time = std::chrono::seconds(
      r.get_int("routing.default_handle_seconds", rt.default_handle_time.count(), 30, 7200));

  auto& l = c.limits;
  l.max_text_chars = static_cast<std::size_t>(r.get_int("limits.max_text_chars", static_cast<long long>(l.max_text_chars), 100, 4000));
  l.max_messages_per_conversation = static_cast<std::size_t>(r.get_int(
      "limits.max_messages_per_conversation", static_cast<long long>(l.max_messages_per_conversation), 10, 100000));
  l.max_callbacks_per_connection = static_cast<std::size_t>(r.get_int(
      "limits.max_callbacks_per_connection", static_cast<long long>(l.max_callbacks_per_connection), 1, 100));
  if (l.max_text_bytes() + 1024 > s.max_message_bytes) {
    throw config_error("limits.max_text_chars", "4 bytes per character plus 1 KiB must fit in server.max_message_bytes");
  }

  c.session_lifetime = std::chrono::hours(r.get_int("auth.session_hours", c.session_lifetime.count(), 1, 24 * 7));
  c.callback_claim = std::chrono::minutes(r.get_int("callbacks.claim_minutes", c.callback_claim.count(), 1, 240));
  c.retention = std::chrono::hours(24 * r.get_int("retention.days", c.retention.count() / 24, 1, 3650));
  c.emergency_guidance = r.get_string("emergency_guidance", c.emergency_guidance);
  c.tell_visitor_when_supervisor_joins =
      r.get_bool("supervision.tell_visitor_on_join", c.tell_visitor_when_supervisor_joins);
  c.log_level = r.get_string("log.level", c.log_level);
  static const std::set<std::string> levels{"trace", "debug", "info", "warn", "error", "critical", "off"};
  if (!levels.count(c.log_level)) throw config_error("log.level", "one of trace, debug, info, warn, error, critical, off");
  c.log_json = r.get_bool("log.json", c.log_json);

  r.reject_unknown(r.root(), "");
  r.reject_unknown_environment();
  return c;
}

hours_config parse_hours(const json::value& hours) {
  if (!hours.is_object()) throw config_error("hours", "must be an object");
  static const std::map<std::string, std::string> no_env;
  config_reader r(json::object{{"hours", hours}}, no_env);
  hours_config h = read_hours(r);
  r.reject_unknown(r.root(), "");
  return h;
}

}  // namespace helpline
