// Named spdlog loggers per component ("http", "ws", "redis", "app", "router", ...), one sink.
// Confidential by default: callers log connection ids, kinds, codes and reasons, never IP
// addresses, phone numbers or message text.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string>
#include <string_view>

namespace helpline::net::log {

// level: trace, debug, info, warn, error, critical, off (an unknown level throws
// std::invalid_argument). json_lines: one JSON object per line on stderr
// {"ts":...,"level":...,"component":...,"msg":...}; otherwise a human-readable line.
// Safe to call again (tests, reconfiguration): existing loggers are switched over.
void init(std::string_view level, bool json_lines);

// The logger for a component, created on first use with the current sink and level.
std::shared_ptr<spdlog::logger> get(const std::string& component);

}  // namespace helpline::net::log
