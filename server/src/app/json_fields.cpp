#include "app/json_fields.hpp"

#include <chrono>

#include "app/protocol_error.hpp"

namespace helpline::json_fields {
namespace {
[[noreturn]] void bad(std::string_view field, const std::string& what) {
  throw protocol_error("bad_request", std::string(field) + " " + what);
}
}  // namespace

std::optional<std::string> optional_string(const boost::json::object& o, std::string_view field,
                                           std::size_t max_bytes) {
  const auto* v = o.if_contains(field);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_string()) bad(field, "must be a string");
  if (v->as_string().size() > max_bytes) bad(field, "is longer than " + std::to_string(max_bytes) + " bytes");
  return std::string(v->as_string());
}

std::string required_string(const boost::json::object& o, std::string_view field, std::size_t max_bytes) {
  auto s = optional_string(o, field, max_bytes);
  if (!s || s->empty()) bad(field, "is required");
  return *s;
}

bool required_bool(const boost::json::object& o, std::string_view field) {
  const auto* v = o.if_contains(field);
  if (!v || !v->is_bool()) bad(field, "must be true or false");
  return v->as_bool();
}

std::size_t utf8_length(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;  // count every byte that starts a character
  return n;
}

void check_text_length(std::string_view text, std::size_t max_chars) {
  if (text.size() > max_chars && utf8_length(text) > max_chars) {
    throw protocol_error("too_long", "text is longer than " + std::to_string(max_chars) + " characters");
  }
}

std::size_t top_level_member_count(std::string_view s) {
  std::size_t members = 0;
  int depth = 0;
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == ':' && depth == 1) {
      ++members;  // a colon outside strings at the top level ends one member's key
    }
  }
  return members;
}

std::optional<bool> optional_bool(const boost::json::object& o, std::string_view field) {
  const auto* v = o.if_contains(field);
  if (!v || v->is_null()) return std::nullopt;
  if (!v->is_bool()) bad(field, "must be true or false");
  return v->as_bool();
}

std::optional<long long> optional_int(const boost::json::object& o, std::string_view field) {
  const auto* v = o.if_contains(field);
  if (!v || v->is_null()) return std::nullopt;
  if (v->is_int64()) return v->as_int64();
  if (v->is_uint64() && v->as_uint64() < (1ULL << 62)) return static_cast<long long>(v->as_uint64());
  bad(field, "must be a whole number");
}

std::vector<std::string> required_strings(const boost::json::object& o, std::string_view field,
                                          std::size_t max_items, std::size_t max_bytes) {
  const auto* v = o.if_contains(field);
  if (!v || !v->is_array() || v->as_array().empty()) bad(field, "must be a non-empty list of strings");
  if (v->as_array().size() > max_items) bad(field, "has more than " + std::to_string(max_items) + " items");
  std::vector<std::string> out;
  for (const auto& e : v->as_array()) {
    if (!e.is_string() || e.as_string().empty() || e.as_string().size() > max_bytes) {
      bad(field, "must be a list of non-empty strings");
    }
    out.emplace_back(e.as_string());
  }
  return out;
}

std::string client_id(const boost::json::object& o) {
  std::string id = required_string(o, "client_id", 64);
  for (char c : id) {
    if (c < 0x21 || c > 0x7e) bad("client_id", "must be printable ASCII without spaces");
  }
  return id;
}

long long now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace helpline::json_fields
