#pragma once
// Reading and building the JSON frames of the helpline protocol (docs/protocol.md) in tests.
// Every accessor throws frame_error naming the field and quoting the frame, so a test that meets
// an unexpected frame fails with a message that says what was wrong rather than a bad_access.
#include <boost/json.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace test_support {

class frame_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses one frame; throws frame_error when it is not a JSON object.
boost::json::object parse_frame(std::string_view text);

// Compact JSON of `frame`, cut to `max_chars` (with "...") for diagnostics.
std::string describe(const boost::json::value& frame, std::size_t max_chars = 600);

// The frame's "type", or "" when it has none.
std::string frame_type(const boost::json::object& frame);
bool is_type(const boost::json::object& frame, std::string_view type);
bool is_error(const boost::json::object& frame, std::string_view code);

// Required fields: throw frame_error when missing or of another JSON type.
const boost::json::value& field(const boost::json::object& frame, std::string_view key);
std::string str(const boost::json::object& frame, std::string_view key);
std::int64_t integer(const boost::json::object& frame, std::string_view key);
bool boolean(const boost::json::object& frame, std::string_view key);
const boost::json::object& obj(const boost::json::object& frame, std::string_view key);
const boost::json::array& arr(const boost::json::object& frame, std::string_view key);

// True when `key` is present and not null.
bool has(const boost::json::object& frame, std::string_view key);

// The strings of an array field (throws when an element is not a string).
std::vector<std::string> strings(const boost::json::object& frame, std::string_view key);

// The objects of an array field (throws when an element is not an object).
std::vector<boost::json::object> objects(const boost::json::object& frame, std::string_view key);

// Only the digits of `s` ("07700 900123" -> "07700900123"), for comparing phone numbers.
std::string digits_of(std::string_view s);

}  // namespace test_support
