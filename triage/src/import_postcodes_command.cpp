#include "triage/import_postcodes_command.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "triage/content_error.hpp"
#include "triage/postcode_index.hpp"
#include "triage/uk_postcode.hpp"

namespace triage {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view usage =
    "usage: helpline import-postcodes ONSPD.csv [--out content/postcodes/postcodes.csv] "
    "[--live-only]\n";

// One CSV record (RFC 4180 quoting; ONSPD quotes every field). Records never span lines in
// ONSPD, so a line is a record.
std::vector<std::string> split_csv(std::string_view line) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cell.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.push_back(std::move(cell));
      cell.clear();
    } else if (c != '\r') {
      cell.push_back(c);
    }
  }
  cells.push_back(std::move(cell));
  return cells;
}

std::optional<double> parse_double(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  if (s.empty()) return std::nullopt;
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

struct centroid {
  double lat = 0, lon = 0;
  std::size_t count = 0;
};

std::string coordinate(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", v);
  return buf;
}

}  // namespace

int run_import_postcodes_command(const std::vector<std::string>& args, std::ostream& out,
                                 std::ostream& err) {
  fs::path input;
  fs::path output = fs::path("content") / "postcodes" / "postcodes.csv";
  bool live_only = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--help" || args[i] == "-h") {
      out << usage;
      return 0;
    } else if (args[i] == "--out" && i + 1 < args.size()) {
      output = args[++i];
    } else if (args[i] == "--live-only") {
      live_only = true;
    } else if (!args[i].starts_with("--") && input.empty()) {
      input = args[i];
    } else {
      err << "helpline import-postcodes: unexpected argument '" << args[i] << "'\n" << usage;
      return 2;
    }
  }
  if (input.empty()) {
    err << "helpline import-postcodes: no input file\n" << usage;
    return 2;
  }
  std::ifstream in(input, std::ios::binary);
  if (!in) {
    err << "helpline import-postcodes: cannot open " << input.string() << "\n";
    return 2;
  }
  std::string line;
  if (!std::getline(in, line)) {
    err << "helpline import-postcodes: " << input.string() << " is empty\n";
    return 2;
  }
  if (line.starts_with("\xEF\xBB\xBF")) line.erase(0, 3);  // byte order mark
  const auto header = split_csv(line);
  auto column = [&](std::initializer_list<std::string_view> names) -> std::optional<std::size_t> {
    for (auto name : names) {
      for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name) return i;
      }
    }
    return std::nullopt;
  };
  const auto pc_col = column({"pcds", "pcd2", "pcd", "postcode"});
  const auto lat_col = column({"lat", "latitude"});
  const auto lon_col = column({"long", "lon", "longitude"});
  const auto term_col = column({"doterm"});
  if (!pc_col || !lat_col || !lon_col) {
    err << "helpline import-postcodes: " << input.string()
        << ":1: header needs columns pcds, lat and long\n";
    return 2;
  }
  if (live_only && !term_col) {
    err << "helpline import-postcodes: --live-only needs a doterm column\n";
    return 2;
  }

  fs::path temp = output;
  temp += ".tmp";
  std::error_code ec;
  if (output.has_parent_path()) fs::create_directories(output.parent_path(), ec);
  std::size_t imported = 0, no_coords = 0, invalid = 0, terminated = 0, line_number = 1;
  // Districts (~3,000) and areas (~124) are bounded by the postcode system itself.
  std::map<std::string, centroid> districts, areas;
  {
    std::ofstream table(temp, std::ios::binary | std::ios::trunc);
    if (!table) {
      err << "helpline import-postcodes: cannot write " << temp.string() << "\n";
      return 2;
    }
    table << "# Imported by helpline import-postcodes from " << input.filename().string()
          << " (ONS Postcode Directory).\n"
          << "# Districts and areas are at the mean of their postcodes.\n"
          << "code,lat,lon\n";
    while (std::getline(in, line)) {
      ++line_number;
      if (line.empty() || line == "\r") continue;
      const auto cells = split_csv(line);
      const std::size_t needed =
          std::max({*pc_col, *lat_col, *lon_col, term_col.value_or(0)});
      if (cells.size() <= needed) {
        ++invalid;
        continue;
      }
      if (live_only && !cells[*term_col].empty()) {
        ++terminated;
        continue;
      }
      const auto code = parse_uk_postcode(cells[*pc_col]);
      if (!code || code->precision != uk_postcode::level::full) {
        ++invalid;
        continue;
      }
      const auto lat = parse_double(cells[*lat_col]);
      const auto lon = parse_double(cells[*lon_col]);
      // ONSPD marks postcodes without a grid reference with lat 99.999999, long 0.
      if (!lat || !lon || *lat < -90 || *lat > 90 || *lon < -180 || *lon > 180 ||
          (*lat == 0 && *lon == 0)) {
        ++no_coords;
        continue;
      }
      if (imported >= postcode_index::max_rows) {
        err << "helpline import-postcodes: more than " << postcode_index::max_rows << " rows\n";
        table.close();
        fs::remove(temp, ec);
        return 2;
      }
      table << code->full << ',' << coordinate(*lat) << ',' << coordinate(*lon) << '\n';
      ++imported;
      for (auto* c : {&districts[code->district], &areas[code->area]}) {
        c->lat += *lat;
        c->lon += *lon;
        ++c->count;
      }
    }
    for (const auto* group : {&districts, &areas}) {
      for (const auto& [code, c] : *group) {
        table << code << ',' << coordinate(c.lat / static_cast<double>(c.count)) << ','
              << coordinate(c.lon / static_cast<double>(c.count)) << '\n';
      }
    }
    table.flush();
    if (!table) {
      err << "helpline import-postcodes: writing " << temp.string() << " failed\n";
      fs::remove(temp, ec);
      return 2;
    }
  }
  if (imported == 0) {
    err << "helpline import-postcodes: no postcodes with coordinates in " << input.string()
        << "\n";
    fs::remove(temp, ec);
    return 2;
  }
  try {
    (void)postcode_index::load(temp);  // a table we cannot load must not replace a good one
  } catch (const content_error& e) {
    err << "helpline import-postcodes: the written table does not load: " << e.what() << "\n";
    fs::remove(temp, ec);
    return 2;
  }
  fs::rename(temp, output, ec);
  if (ec) {
    err << "helpline import-postcodes: cannot replace " << output.string() << ": "
        << ec.message() << "\n";
    return 2;
  }
  out << "imported " << imported << " postcodes, " << districts.size() << " districts and "
      << areas.size() << " areas into " << output.string() << "; skipped " << no_coords
      << " rows without coordinates and " << invalid << " rows with an invalid postcode";
  if (live_only) out << " and " << terminated << " terminated postcodes";
  out << "\n";
  return 0;
}

}  // namespace triage
