#include "json_frames.hpp"

#include <cctype>

namespace test_support {

namespace json = boost::json;

boost::json::object parse_frame(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) {
    throw frame_error("frame is not valid JSON (" + ec.message() + "): " +
                      std::string(text.substr(0, 300)));
  }
  if (!v.is_object()) throw frame_error("frame is not a JSON object: " + describe(v));
  return std::move(v.as_object());
}

std::string describe(const boost::json::value& frame, std::size_t max_chars) {
  std::string s = json::serialize(frame);
  if (s.size() > max_chars) {
    s.resize(max_chars);
    s += "...";
  }
  return s;
}

std::string frame_type(const boost::json::object& frame) {
  const json::value* t = frame.if_contains("type");
  if (t == nullptr || !t->is_string()) return {};
  return std::string(t->as_string());
}

bool is_type(const boost::json::object& frame, std::string_view type) { return frame_type(frame) == type; }

bool is_error(const boost::json::object& frame, std::string_view code) {
  if (!is_type(frame, "error")) return false;
  const json::value* c = frame.if_contains("code");
  return c != nullptr && c->is_string() && c->as_string() == code;
}

const boost::json::value& field(const boost::json::object& frame, std::string_view key) {
  const json::value* v = frame.if_contains(key);
  if (v == nullptr) {
    throw frame_error("field \"" + std::string(key) + "\" missing in " + describe(frame));
  }
  return *v;
}

namespace {
[[noreturn]] void wrong_kind(const json::object& frame, std::string_view key, const char* kind) {
  throw frame_error("field \"" + std::string(key) + "\" is not " + kind + " in " + describe(frame));
}
}  // namespace

std::string str(const boost::json::object& frame, std::string_view key) {
  const json::value& v = field(frame, key);
  if (!v.is_string()) wrong_kind(frame, key, "a string");
  return std::string(v.as_string());
}

std::int64_t integer(const boost::json::object& frame, std::string_view key) {
  const json::value& v = field(frame, key);
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<std::int64_t>(v.as_uint64());
  }
  wrong_kind(frame, key, "an integer");
}

bool boolean(const boost::json::object& frame, std::string_view key) {
  const json::value& v = field(frame, key);
  if (!v.is_bool()) wrong_kind(frame, key, "true or false");
  return v.as_bool();
}

const boost::json::object& obj(const boost::json::object& frame, std::string_view key) {
  const json::value& v = field(frame, key);
  if (!v.is_object()) wrong_kind(frame, key, "an object");
  return v.as_object();
}

const boost::json::array& arr(const boost::json::object& frame, std::string_view key) {
  const json::value& v = field(frame, key);
  if (!v.is_array()) wrong_kind(frame, key, "a list");
  return v.as_array();
}

bool has(const boost::json::object& frame, std::string_view key) {
  const json::value* v = frame.if_contains(key);
  return v != nullptr && !v->is_null();
}

std::vector<std::string> strings(const boost::json::object& frame, std::string_view key) {
  std::vector<std::string> out;
  for (const json::value& e : arr(frame, key)) {
    if (!e.is_string()) wrong_kind(frame, key, "a list of strings");
    out.emplace_back(e.as_string());
  }
  return out;
}

std::vector<boost::json::object> objects(const boost::json::object& frame, std::string_view key) {
  std::vector<json::object> out;
  for (const json::value& e : arr(frame, key)) {
    if (!e.is_object()) wrong_kind(frame, key, "a list of objects");
    out.push_back(e.as_object());
  }
  return out;
}

std::string digits_of(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c)) != 0) out += c;
  }
  return out;
}

}  // namespace test_support
