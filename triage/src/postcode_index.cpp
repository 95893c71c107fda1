#include "triage/postcode_index.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fstream>

#include "triage/content_error.hpp"
#include "triage/uk_postcode.hpp"

namespace triage {
namespace {

namespace fs = std::filesystem;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::vector<std::string_view> split_commas(std::string_view line) {
  std::vector<std::string_view> out;
  for (;;) {
    const auto comma = line.find(',');
    out.push_back(trim(line.substr(0, comma)));
    if (comma == std::string_view::npos) return out;
    line.remove_prefix(comma + 1);
  }
}

std::optional<double> parse_double(std::string_view s) {
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string name_key(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (c != ' ' && c != '-' && c != '\'' && c != '.') out.push_back(c);
  }
  return out;
}

struct loaded_row {
  std::array<char, 8> key;
  float lat, lon;
  std::uint32_t file;
  std::uint32_t line;
};

}  // namespace

postcode_index postcode_index::load(const fs::path& file) {
  return load(std::vector<fs::path>{file});
}

postcode_index postcode_index::load(const std::vector<fs::path>& files) {
  std::vector<loaded_row> rows;
  postcode_index index;
  for (std::uint32_t f = 0; f < files.size(); ++f) {
    const fs::path& file = files[f];
    std::ifstream in(file, std::ios::binary);
    if (!in) throw content_error(file, 0, "cannot open postcode table");
    std::unordered_map<std::string, std::uint32_t> names_here;
    std::string line;
    std::uint32_t number = 0;
    bool header_seen = false;
    while (std::getline(in, line)) {
      ++number;
      const std::string_view text = trim(line);
      if (text.empty() || text.front() == '#') continue;
      const auto cells = split_commas(text);
      if (!header_seen) {
        if (cells.size() < 3 || cells[0] != "code" || cells[1] != "lat" || cells[2] != "lon" ||
            (cells.size() > 3 && cells[3] != "name") || cells.size() > 4) {
          throw content_error(file, number, "header must be 'code,lat,lon' or 'code,lat,lon,name'");
        }
        header_seen = true;
        continue;
      }
      if (cells.size() < 3 || cells.size() > 4) {
        throw content_error(file, number, "expected code,lat,lon[,name]");
      }
      const auto code = parse_uk_postcode(cells[0]);
      if (!code) {
        throw content_error(file, number, "'" + std::string(cells[0]) + "' is not a UK postcode, district or area");
      }
      const auto lat = parse_double(cells[1]);
      const auto lon = parse_double(cells[2]);
      if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180) {
        throw content_error(file, number, "latitude and longitude must be decimal degrees");
      }
      if (rows.size() >= max_rows) {
        throw content_error(file, number, "more than " + std::to_string(max_rows) + " rows");
      }
      loaded_row row{};
      const std::string key = code->key();
      std::memcpy(row.key.data(), key.data(), key.size());
      row.lat = static_cast<float>(*lat);
      row.lon = static_cast<float>(*lon);
      row.file = f;
      row.line = number;
      rows.push_back(row);
      if (cells.size() == 4 && !cells[3].empty()) {
        const std::string name = name_key(cells[3]);
        if (auto [it, inserted] = names_here.emplace(name, number); !inserted) {
          throw content_error(file, number, "place name '" + std::string(cells[3]) +
                                                "' already used on line " +
                                                std::to_string(it->second));
        }
        index.names_.emplace(name, key);  // an earlier file keeps its meaning
      }
    }
    if (!header_seen) throw content_error(file, 0, "empty postcode table (no header)");
  }
  std::stable_sort(rows.begin(), rows.end(), [](const loaded_row& a, const loaded_row& b) {
    return a.key != b.key ? a.key < b.key : a.file < b.file;
  });
  index.entries_.reserve(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i > 0 && rows[i].key == rows[i - 1].key) {
      if (rows[i].file == rows[i - 1].file) {
        throw content_error(files[rows[i].file], std::max(rows[i].line, rows[i - 1].line),
                            "'" + display_of(rows[i].key.data()) + "' appears twice (lines " +
                                std::to_string(std::min(rows[i].line, rows[i - 1].line)) + " and " +
                                std::to_string(std::max(rows[i].line, rows[i - 1].line)) + ")");
      }
      continue;  // a later file does not override an earlier one
    }
    index.entries_.push_back({rows[i].key, rows[i].lat, rows[i].lon});
  }
  return index;
}

const postcode_index::entry* postcode_index::find_key(std::string_view key) const {
  if (key.empty() || key.size() > 7) return nullptr;
  std::array<char, 8> k{};
  std::memcpy(k.data(), key.data(), key.size());
  const auto it = std::lower_bound(entries_.begin(), entries_.end(), k,
                                   [](const entry& e, const std::array<char, 8>& x) { return e.key < x; });
  return it != entries_.end() && it->key == k ? &*it : nullptr;
}

std::string postcode_index::display_of(std::string_view key) {
  const auto parsed = parse_uk_postcode(key);
  return parsed ? parsed->display() : std::string(key);
}

std::optional<postcode_match> postcode_index::lookup(std::string_view code) const {
  const auto parsed = parse_uk_postcode(code);
  if (!parsed) {
    const auto it = names_.find(name_key(code));
    if (it == names_.end()) return std::nullopt;
    const entry* e = find_key(it->second);
    if (e == nullptr) return std::nullopt;
    return postcode_match{{e->lat, e->lon}, display_of(it->second), false};
  }
  // Most precise first: full postcode, district, district without its sub-letter (SW1A -> SW1),
  // area.
  std::vector<std::string> candidates;
  if (parsed->precision == uk_postcode::level::full) candidates.push_back(postcode_key(parsed->full));
  if (!parsed->district.empty()) {
    candidates.push_back(parsed->district);
    const char last = parsed->district.back();
    if (last >= 'A' && last <= 'Z') candidates.push_back(parsed->district.substr(0, parsed->district.size() - 1));
  }
  candidates.push_back(parsed->area);
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (const entry* e = find_key(candidates[i])) {
      return postcode_match{{e->lat, e->lon}, display_of(candidates[i]), i > 0};
    }
  }
  return std::nullopt;
}

std::optional<geo_point> postcode_index::resolve(std::string_view code) const {
  if (auto m = lookup(code)) return m->point;
  return std::nullopt;
}

}  // namespace triage
