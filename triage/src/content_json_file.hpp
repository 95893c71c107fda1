#pragma once
// A JSON content file (scripts, programme directory) read for validation: typed getters that throw
// content_error naming the file and, where it can be found, the line of the offending entry.
// Internal to the triage library.
#include <boost/json/value.hpp>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace triage {

class content_json_file {
 public:
  // Where an entry is in the text: the line of `"key": "value"` (e.g. "id", "q_danger").
  struct anchor {
    std::string_view key;
    std::string_view value;
    std::size_t occurrence = 0;  // the n-th (from 0) "key": "value" in the file: a duplicate's own line
  };

  // Reads and parses the file. Files larger than max_bytes are refused (content files are small;
  // a huge file is a mistake, not data). Comments and trailing commas are accepted: people edit
  // these files by hand.
  content_json_file(std::filesystem::path file, std::size_t max_bytes);

  const std::filesystem::path& path() const { return file_; }
  const boost::json::value& root() const { return root_; }
  std::size_t line_of(anchor where) const;  // 0 when not found

  [[noreturn]] void fail(anchor where, const std::string& message) const;

  const boost::json::object& object(const boost::json::value& v, std::string_view what,
                                    anchor where) const;
  const boost::json::array& array(const boost::json::value& v, std::string_view what,
                                  anchor where) const;
  // Keys outside `allowed` are an error (a typo like "nxt" must not silently change behaviour);
  // keys starting with '_' are comments and ignored.
  void check_keys(const boost::json::object& o, std::initializer_list<std::string_view> allowed,
                  std::string_view what, anchor where) const;
  std::optional<std::string> optional_string(const boost::json::object& o, std::string_view key,
                                             std::string_view what, anchor where) const;
  std::string string(const boost::json::object& o, std::string_view key, std::string_view what,
                     anchor where) const;  // required, non-empty
  std::vector<std::string> strings(const boost::json::object& o, std::string_view key,
                                   std::string_view what, anchor where) const;  // optional array
  bool boolean(const boost::json::object& o, std::string_view key, bool fallback,
               std::string_view what, anchor where) const;
  std::optional<double> number(const boost::json::object& o, std::string_view key,
                               std::string_view what, anchor where) const;

 private:
  std::filesystem::path file_;
  std::string text_;
  boost::json::value root_;
};

}  // namespace triage
