#pragma once
// A private copy of content/ (risk, cues, rules only) in a temporary folder, so a test can add or
// break content files and load an engine from it. Removed when the object goes out of scope.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "test_paths.hpp"

namespace triage_test {

class screening_temp_content {
 public:
  screening_temp_content() {
    static std::atomic<int> counter{0};
    root_ = std::filesystem::temp_directory_path() /
            ("screening-content-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(root_);
    std::filesystem::create_directories(root_);
    const auto src = test_support::source_dir() / "content";
    for (const char* dir : {"risk", "cues", "rules", "frames"}) {
      std::filesystem::copy(src / dir, root_ / dir, std::filesystem::copy_options::recursive);
    }
  }
  ~screening_temp_content() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  screening_temp_content(const screening_temp_content&) = delete;
  screening_temp_content& operator=(const screening_temp_content&) = delete;

  const std::filesystem::path& root() const { return root_; }

  // Writes (replaces) a file under the content root.
  void write(const std::string& relative, const std::string& text) const {
    const auto path = root_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  }
  void append(const std::string& relative, const std::string& text) const {
    std::ofstream(root_ / relative, std::ios::binary | std::ios::app) << text;
  }

 private:
  std::filesystem::path root_;
};

}  // namespace triage_test
