#pragma once
// UK postcodes, districts and areas with coordinates, from a CSV table (content/postcodes/):
//   code,lat,lon,name      one header row; '#' lines are comments; name is optional (areas carry
//   LS,53.80,-1.549,Leeds  their post town so "Leeds" resolves too)
// Resolution goes from the most precise to the least: "LS6 2AB" -> LS6 2AB, else district LS6,
// else area LS. The shipped table has areas and districts; `helpline import-postcodes` writes a
// table with every full postcode of the ONS Postcode Directory.
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "triage/geo_point.hpp"

namespace triage {

struct postcode_match {
  geo_point point;
  std::string matched;  // the code or place that resolved, as people write it: "LS6", "LS6 2AB"
  bool approximate = false;  // resolved at a coarser level than asked (postcode -> district)
};

class postcode_index {
 public:
  // Refuses tables beyond this many rows (the full ONSPD has about 2.7 million).
  static constexpr std::size_t max_rows = 6'000'000;

  // Throws content_error naming the file and line: bad header, bad code, coordinates out of
  // range, duplicate code or place name within the file.
  static postcode_index load(const std::filesystem::path& file);
  // Several tables: an earlier file wins where two files hold the same code (an imported full
  // table first, the shipped districts and place names after it).
  static postcode_index load(const std::vector<std::filesystem::path>& files);

  // A postcode, district, area or place name; any case and spacing. nullopt when unknown.
  std::optional<geo_point> resolve(std::string_view code) const;
  std::optional<postcode_match> lookup(std::string_view code) const;
  std::size_t size() const { return entries_.size(); }

 private:
  // 16 bytes per row so the full ONSPD (~2.7M rows) fits in about 45 MB.
  struct entry {
    std::array<char, 8> key{};  // postcode_key(), zero padded; at most 7 characters
    float lat = 0, lon = 0;
  };
  const entry* find_key(std::string_view key) const;
  static std::string display_of(std::string_view key);

  std::vector<entry> entries_;                          // sorted by key
  std::unordered_map<std::string, std::string> names_;  // upper-case place name -> code key
};

}  // namespace triage
