#pragma once
// Reading fields of a client's JSON request with the protocol's errors (bad_request naming the
// field), so handlers stay short.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

namespace helpline::json_fields {

// Required string, 1..max_bytes bytes. Throws protocol_error("bad_request", "<field> ...").
std::string required_string(const boost::json::object& o, std::string_view field, std::size_t max_bytes);
std::optional<std::string> optional_string(const boost::json::object& o, std::string_view field,
                                           std::size_t max_bytes);
bool required_bool(const boost::json::object& o, std::string_view field);
// A message text of at most max_chars characters (code points of the valid UTF-8 every frame is
// checked to be); more -> protocol_error("too_long") saying the limit in characters.
void check_text_length(std::string_view text, std::size_t max_chars);
std::size_t utf8_length(std::string_view text);
// How many members the top-level object of a JSON text spells out (duplicates counted each
// time): more than the parsed object holds means a key was repeated. JSON lets the last
// duplicate win silently, which would let {"type":"message",...,"type":"end"} change meaning.
std::size_t top_level_member_count(std::string_view json_text);
std::optional<bool> optional_bool(const boost::json::object& o, std::string_view field);
std::optional<long long> optional_int(const boost::json::object& o, std::string_view field);
std::vector<std::string> required_strings(const boost::json::object& o, std::string_view field,
                                          std::size_t max_items, std::size_t max_bytes);
// A client message id: 1-64 printable ASCII characters.
std::string client_id(const boost::json::object& o);
long long now_ms();

}  // namespace helpline::json_fields
