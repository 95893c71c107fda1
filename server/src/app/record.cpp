#include "app/record.hpp"

#include <boost/json/parse.hpp>
#include <charconv>

namespace helpline::record_fields {

std::string text(const record& r, std::string_view field) {
  auto it = r.find(field);
  return it == r.end() ? std::string() : it->second;
}

long long number(const record& r, std::string_view field) {
  auto it = r.find(field);
  if (it == r.end()) return 0;
  long long n = 0;
  const auto& s = it->second;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  return ec == std::errc() ? n : 0;
}

boost::json::value parse_or(std::string_view text, boost::json::value fallback) {
  boost::json::error_code ec;
  auto v = boost::json::parse(text, ec);
  return ec ? fallback : v;
}

boost::json::value json(const record& r, std::string_view field, boost::json::value fallback) {
  auto it = r.find(field);
  return it == r.end() ? fallback : parse_or(it->second, std::move(fallback));
}

boost::json::array json_array(const record& r, std::string_view field) {
  auto v = json(r, field, boost::json::array());
  return v.is_array() ? std::move(v.as_array()) : boost::json::array();
}

boost::json::value or_null(const std::string& s) { return s.empty() ? boost::json::value(nullptr) : boost::json::value(s); }
boost::json::value or_null(long long n) { return n ? boost::json::value(n) : boost::json::value(nullptr); }

}  // namespace helpline::record_fields
