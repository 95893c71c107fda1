#pragma once
// Raised when a content file (phrases, scripts, directory, postcodes) is invalid.
// what() always names the file and, where there is one, the line: "content/risk/en/phrases.tsv:12: ..."
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace triage {

class content_error : public std::runtime_error {
 public:
  content_error(const std::filesystem::path& file, std::size_t line, const std::string& message)
      : std::runtime_error(file.string() + (line > 0 ? ":" + std::to_string(line) : std::string{}) +
                           ": " + message),
        file_(file),
        line_(line),
        problems_{what()} {}

  // Several problems found in one pass (every entry of a directory is checked, so an editor
  // fixes them all at once rather than one per attempt). what() lists them one per line; file()
  // and line() are the first one's. `problems` must not be empty.
  explicit content_error(const std::vector<content_error>& problems)
      : std::runtime_error(joined(problems)),
        file_(problems.front().file()),
        line_(problems.front().line()) {
    for (const auto& p : problems) problems_.emplace_back(p.what());
  }

  const std::filesystem::path& file() const noexcept { return file_; }
  std::size_t line() const noexcept { return line_; }
  // Each problem in full ("file:line: message"); a single problem's list is {what()}.
  const std::vector<std::string>& problems() const noexcept { return problems_; }

 private:
  static std::string joined(const std::vector<content_error>& problems) {
    std::string out;
    for (const auto& p : problems) out += (out.empty() ? "" : "\n") + std::string(p.what());
    return out;
  }

  std::filesystem::path file_;
  std::size_t line_;
  std::vector<std::string> problems_;
};

}  // namespace triage
