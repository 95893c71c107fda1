#include "content_file.hpp"

#include <unicode/utf8.h>

#include <charconv>
#include <fstream>
#include <sstream>

#include "triage/content_error.hpp"

namespace triage::content_file {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool parse_number(std::string_view s, long min, long max, long& out) {
  long v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size() || v < min || v > max) return false;
  out = v;
  return true;
}

std::vector<line> read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw content_error(file, 0, "cannot open file");
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string data = ss.str();
  std::vector<line> lines;
  std::size_t pos = 0;
  std::size_t number = 0;
  while (pos < data.size()) {
    std::size_t eol = data.find('\n', pos);
    if (eol == std::string::npos) eol = data.size();
    std::string_view text(data.data() + pos, eol - pos);
    pos = eol + 1;
    ++number;
    if (number == 1 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);  // UTF-8 BOM
    const auto n = static_cast<std::int32_t>(text.size());
    for (std::int32_t i = 0; i < n;) {
      UChar32 cp = 0;
      U8_NEXT(text.data(), i, n, cp);
      if (cp < 0) throw content_error(file, number, "invalid UTF-8");
    }
    const std::string_view trimmed = trim(text);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    line l;
    l.number = number;
    std::size_t start = 0;
    while (true) {
      const std::size_t tab = text.find('\t', start);
      l.fields.emplace_back(trim(text.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start)));
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    // Trailing empty fields (stray tabs at the end of a line) are ignored.
    while (l.fields.size() > 1 && l.fields.back().empty()) l.fields.pop_back();
    lines.push_back(std::move(l));
  }
  return lines;
}

std::vector<std::string> split_commas(std::string_view s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const auto comma = s.find(',', start);
    const auto part = trim(s.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start));
    if (!part.empty()) out.emplace_back(part);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace triage::content_file
