#pragma once
// A Redis hash as read (HGETALL), and the one way to read its fields: the domain structs
// (conversation, callback, account, advisor_status) parse a record once with these.
#include <boost/json/array.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <string>
#include <string_view>

namespace helpline {

using record = std::map<std::string, std::string, std::less<>>;

namespace record_fields {
std::string text(const record& r, std::string_view field);        // "" when missing
long long number(const record& r, std::string_view field);        // 0 when missing or not a number
// The field parsed as JSON; `fallback` when missing or not JSON.
boost::json::value json(const record& r, std::string_view field, boost::json::value fallback);
// The field parsed as a JSON array; empty when missing or not an array.
boost::json::array json_array(const record& r, std::string_view field);
// JSON text parsed; `fallback` when it is not JSON.
boost::json::value parse_or(std::string_view text, boost::json::value fallback);
// null for "" or 0 (a field not set), else the value: how optional fields reach clients.
boost::json::value or_null(const std::string& s);
boost::json::value or_null(long long n);
}  // namespace record_fields

}  // namespace helpline
