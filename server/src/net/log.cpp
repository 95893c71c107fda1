#include "net/log.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <fmt/format.h>

#include <mutex>
#include <stdexcept>
#include <unordered_map>

namespace helpline::net::log {

namespace {

// %* in the pattern: the message, escaped for a JSON string.
class json_message_flag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    static constexpr char hex[] = "0123456789abcdef";
    for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      switch (c) {
        case '"': dest.append(std::string_view("\\\"")); break;
        case '\\': dest.append(std::string_view("\\\\")); break;
        case '\n': dest.append(std::string_view("\\n")); break;
        case '\r': dest.append(std::string_view("\\r")); break;
        case '\t': dest.append(std::string_view("\\t")); break;
        default:
          if (static_cast<unsigned char>(c) < 0x20) {
            const char esc[] = {'\\', 'u', '0', '0', hex[(c >> 4) & 0xf], hex[c & 0xf]};
            dest.append(esc, esc + sizeof esc);
          } else {
            dest.push_back(c);
          }
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<json_message_flag>(); }
};

struct log_state {
  std::mutex mutex;
  spdlog::sink_ptr sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
  spdlog::level::level_enum level = spdlog::level::info;
  bool json = false;
  std::unordered_map<std::string, std::shared_ptr<spdlog::logger>> loggers;  // one per component name
};

log_state& state() {
  static log_state s;
  return s;
}

std::unique_ptr<spdlog::formatter> make_formatter(bool json) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  if (json) {
    formatter->add_flag<json_message_flag>('*');
    formatter->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","component":"%n","msg":"%*"})");
  } else {
    formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %-5l [%n] %v");
  }
  return formatter;
}

}  // namespace

void init(std::string_view level, bool json_lines) {
  const auto parsed = spdlog::level::from_str(std::string(level));
  // from_str answers "off" for anything unknown: only accept "off" when it was asked for.
  if (parsed == spdlog::level::off && level != "off") {
    throw std::invalid_argument(fmt::format("unknown log level '{}' (trace, debug, info, warn, error, critical, off)", level));
  }
  auto& s = state();
  std::lock_guard lock(s.mutex);
  s.level = parsed;
  s.json = json_lines;
  s.sink->set_formatter(make_formatter(json_lines));
  for (auto& [name, logger] : s.loggers) logger->set_level(parsed);
}

std::shared_ptr<spdlog::logger> get(const std::string& component) {
  auto& s = state();
  std::lock_guard lock(s.mutex);
  if (auto it = s.loggers.find(component); it != s.loggers.end()) return it->second;
  if (s.loggers.empty()) s.sink->set_formatter(make_formatter(s.json));
  auto logger = std::make_shared<spdlog::logger>(component, s.sink);
  logger->set_level(s.level);
  logger->flush_on(spdlog::level::warn);
  s.loggers.emplace(component, logger);
  return logger;
}

}  // namespace helpline::net::log
