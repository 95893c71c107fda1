#pragma once
// Raised when a content file (phrases, scripts, directory, postcodes) is invalid.
// what() always names the file and, where there is one, the line: "content/risk/en/phrases.tsv:12: ..."
#include <filesystem>
#include <stdexcept>
#include <string>

namespace triage {

class content_error : public std::runtime_error {
 public:
  content_error(const std::filesystem::path& file, std::size_t line, const std::string& message)
      : std::runtime_error(file.string() + (line > 0 ? ":" + std::to_string(line) : std::string{}) +
                           ": " + message),
        file_(file),
        line_(line) {}
  const std::filesystem::path& file() const noexcept { return file_; }
  std::size_t line() const noexcept { return line_; }

 private:
  std::filesystem::path file_;
  std::size_t line_;
};

}  // namespace triage
