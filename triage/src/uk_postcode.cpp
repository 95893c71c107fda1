#include "triage/uk_postcode.hpp"

namespace triage {
namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Outward code: 1-2 letters, a digit, then optionally a digit or a letter (LS6, LS10, SW1A, W1).
bool split_outward(std::string_view s, std::string_view& area) {
  std::size_t i = 0;
  while (i < s.size() && is_upper(s[i])) ++i;
  if (i < 1 || i > 2 || i >= s.size() || !is_digit(s[i])) return false;
  area = s.substr(0, i);
  const std::size_t rest = s.size() - i;
  if (rest == 1) return true;
  return rest == 2 && (is_digit(s[i + 1]) || is_upper(s[i + 1]));
}

}  // namespace

const std::string& uk_postcode::display() const {
  switch (precision) {
    case level::full: return full;
    case level::district: return district;
    case level::area: break;
  }
  return area;
}

std::string uk_postcode::key() const { return postcode_key(display()); }

std::string postcode_key(std::string_view text) {
  std::string key;
  key.reserve(text.size());
  for (char c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (is_upper(c) || is_digit(c)) key.push_back(c);
  }
  return key;
}

std::optional<uk_postcode> parse_uk_postcode(std::string_view text) {
  // Only letters, digits and blanks are allowed; anything else is not a postcode.
  for (char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || is_upper(c) || is_digit(c) || c == ' ' ||
                    c == '\t';
    if (!ok) return std::nullopt;
  }
  const std::string key = postcode_key(text);
  if (key.empty() || key.size() > 7) return std::nullopt;
  uk_postcode out;
  std::string_view area;
  const std::string_view k = key;
  if (k.size() >= 5 && is_digit(k[k.size() - 3]) && is_upper(k[k.size() - 2]) &&
      is_upper(k.back())) {
    const std::string_view outward = k.substr(0, k.size() - 3);
    if (!split_outward(outward, area)) return std::nullopt;
    out.precision = uk_postcode::level::full;
    out.area = area;
    out.district = outward;
    out.full = std::string(outward) + " " + std::string(k.substr(k.size() - 3));
    return out;
  }
  if (split_outward(k, area)) {
    out.precision = uk_postcode::level::district;
    out.area = area;
    out.district = key;
    return out;
  }
  if (k.size() <= 2 && is_upper(k[0]) && (k.size() == 1 || is_upper(k[1]))) {
    out.precision = uk_postcode::level::area;
    out.area = key;
    return out;
  }
  return std::nullopt;
}

}  // namespace triage
