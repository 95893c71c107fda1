#pragma once
// Reading line-oriented content files: UTF-8, '#' starts a comment line, blank lines ignored,
// fields separated by TAB. Private to the triage library.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace triage::content_file {

struct line {
  std::size_t number = 0;            // 1-based line number in the file
  std::vector<std::string> fields;   // TAB-separated, each trimmed of surrounding spaces
};

// Reads every non-blank, non-comment line. Throws content_error if the file cannot be read or is
// not valid UTF-8 (naming the line).
std::vector<line> read(const std::filesystem::path& file);

std::string_view trim(std::string_view s);

// "a, b,,c" -> {"a", "b", "c"}: a comma-separated list, each item trimmed, empty items dropped.
std::vector<std::string> split_commas(std::string_view s);

// Parses a whole decimal number in [min, max]; false if it is not one.
bool parse_number(std::string_view s, long min, long max, long& out);

}  // namespace triage::content_file
