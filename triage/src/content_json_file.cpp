#include "content_json_file.hpp"

#include <algorithm>
#include <boost/json/parse_options.hpp>
#include <boost/json/stream_parser.hpp>
#include <fstream>
#include <sstream>

#include "triage/content_error.hpp"

namespace triage {
namespace {

std::size_t line_at(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
}

std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

content_json_file::content_json_file(std::filesystem::path file, std::size_t max_bytes)
    : file_(std::move(file)) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file_, ec);
  if (ec) throw content_error(file_, 0, "cannot read: " + ec.message());
  if (size > max_bytes) {
    throw content_error(file_, 0, "file is " + std::to_string(size) + " bytes, more than the " +
                                      std::to_string(max_bytes) + " allowed");
  }
  std::ifstream in(file_, std::ios::binary);
  if (!in) throw content_error(file_, 0, "cannot open");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  text_ = std::move(buffer).str();

  boost::json::parse_options options;
  options.allow_comments = true;
  options.allow_trailing_commas = true;
  boost::json::stream_parser parser({}, options);
  boost::json::error_code jec;
  const std::size_t consumed = parser.write_some(text_.data(), text_.size(), jec);
  if (!jec) parser.finish(jec);
  if (jec || !parser.done()) {
    throw content_error(file_, line_at(text_, consumed),
                        "invalid JSON: " + (jec ? jec.message() : std::string("incomplete")));
  }
  if (consumed < text_.size() &&
      text_.find_first_not_of(" \t\r\n", consumed) != std::string::npos) {
    throw content_error(file_, line_at(text_, consumed), "invalid JSON: text after the document");
  }
  root_ = parser.release();
}

std::size_t content_json_file::line_of(anchor where) const {
  if (where.key.empty()) return 0;
  // Looks for "key" <spaces> : <spaces> "value" (or the bare "key" when value is empty).
  const std::string key = "\"" + std::string(where.key) + "\"";
  std::size_t skip = where.occurrence;
  for (std::size_t pos = text_.find(key); pos != std::string::npos;
       pos = text_.find(key, pos + 1)) {
    if (where.value.empty()) return line_at(text_, pos);
    std::size_t p = text_.find_first_not_of(" \t\r\n", pos + key.size());
    if (p == std::string::npos || text_[p] != ':') continue;
    p = text_.find_first_not_of(" \t\r\n", p + 1);
    const std::string value = "\"" + std::string(where.value) + "\"";
    if (p != std::string::npos && text_.compare(p, value.size(), value) == 0) {
      if (skip == 0) return line_at(text_, pos);
      --skip;
    }
  }
  return 0;
}

void content_json_file::fail(anchor where, const std::string& message) const {
  throw content_error(file_, line_of(where), message);
}

const boost::json::object& content_json_file::object(const boost::json::value& v,
                                                     std::string_view what, anchor where) const {
  if (!v.is_object()) fail(where, std::string(what) + " must be a JSON object");
  return v.get_object();
}

const boost::json::array& content_json_file::array(const boost::json::value& v,
                                                   std::string_view what, anchor where) const {
  if (!v.is_array()) fail(where, std::string(what) + " must be a JSON array");
  return v.get_array();
}

void content_json_file::check_keys(const boost::json::object& o,
                                   std::initializer_list<std::string_view> allowed,
                                   std::string_view what, anchor where) const {
  for (const auto& kv : o) {
    const std::string_view key = kv.key();
    if (!key.empty() && key.front() == '_') continue;
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      fail(where, std::string(what) + ": unknown field " + quoted(key) + " (known: " + list + ")");
    }
  }
}

std::optional<std::string> content_json_file::optional_string(const boost::json::object& o,
                                                              std::string_view key,
                                                              std::string_view what,
                                                              anchor where) const {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (!v->is_string()) fail(where, std::string(what) + ": " + quoted(key) + " must be a string");
  return std::string(v->get_string());
}

std::string content_json_file::string(const boost::json::object& o, std::string_view key,
                                      std::string_view what, anchor where) const {
  auto s = optional_string(o, key, what, where);
  if (!s || s->empty()) fail(where, std::string(what) + ": " + quoted(key) + " is required");
  return *s;
}

std::vector<std::string> content_json_file::strings(const boost::json::object& o,
                                                    std::string_view key, std::string_view what,
                                                    anchor where) const {
  std::vector<std::string> out;
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return out;
  if (!v->is_array()) {
    fail(where, std::string(what) + ": " + quoted(key) + " must be an array of strings");
  }
  for (const auto& item : v->get_array()) {
    if (!item.is_string() || item.get_string().empty()) {
      fail(where, std::string(what) + ": " + quoted(key) + " must hold non-empty strings");
    }
    out.emplace_back(item.get_string());
  }
  return out;
}

bool content_json_file::boolean(const boost::json::object& o, std::string_view key, bool fallback,
                                std::string_view what, anchor where) const {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return fallback;
  if (!v->is_bool()) fail(where, std::string(what) + ": " + quoted(key) + " must be true or false");
  return v->get_bool();
}

std::optional<double> content_json_file::number(const boost::json::object& o, std::string_view key,
                                                std::string_view what, anchor where) const {
  const auto* v = o.if_contains(key);
  if (v == nullptr || v->is_null()) return std::nullopt;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  fail(where, std::string(what) + ": " + quoted(key) + " must be a number");
}

}  // namespace triage
