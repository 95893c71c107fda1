// Canned responses are content: loaded per language and validated with file:line errors.
#include "triage/canned_responses.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <unistd.h>

#include "triage/content_error.hpp"

namespace triage {
namespace {

class canned_dir {
 public:
  canned_dir() {
    path_ = std::filesystem::temp_directory_path() / ("canned-" + std::to_string(::getpid()) + "-" + std::to_string(n_++));
    std::filesystem::create_directories(path_);
  }
  ~canned_dir() { std::filesystem::remove_all(path_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(path_ / name) << text; }
  const std::filesystem::path& path() const { return path_; }

 private:
  static inline int n_ = 0;
  std::filesystem::path path_;
};

std::string load_error(const std::string& tsv) {
  canned_dir d;
  d.write("en.tsv", tsv);
  try {
    canned_responses::load(d.path());
  } catch (const content_error& e) {
    return e.what();
  }
  return "";
}

TEST(canned_responses, the_shipped_content_loads_in_every_language) {
  auto canned = canned_responses::load(std::filesystem::path(HELPLINE_SOURCE_DIR) / "content" / "canned");
  for (const char* lang : {"en", "es", "pl"}) {
    const auto& list = canned->of(lang);
    ASSERT_FALSE(list.empty()) << lang;
    bool has_welcome = false;
    for (const auto& r : list) has_welcome = has_welcome || r.id == "welcome";
    EXPECT_TRUE(has_welcome) << lang;
  }
  EXPECT_TRUE(canned->of("xx").empty());
}

TEST(canned_responses, caller_types_restrict_a_response) {
  canned_dir d;
  d.write("en.tsv", "# comment\nhello\tHello\tHello there.\nkids\tChildren\tHow are the children?\town_behaviour, friend_family\n");
  auto canned = canned_responses::load(d.path());
  const auto& list = canned->of("en");
  ASSERT_EQ(list.size(), 2u);
  EXPECT_TRUE(list[0].caller_types.empty());
  EXPECT_EQ(list[1].caller_types, (std::vector<std::string>{"own_behaviour", "friend_family"}));
}

TEST(canned_responses, bad_lines_are_named_by_file_and_line) {
  EXPECT_NE(load_error("a\tA\tText\nb\tOnly a title\n").find("en.tsv:2"), std::string::npos);
  EXPECT_NE(load_error("a\tA\tText\na\tB\tText\n").find("duplicate id"), std::string::npos);
  EXPECT_NE(load_error("a\tA\tText\tstrangers\n").find("unknown caller type"), std::string::npos);
  EXPECT_NE(load_error("a\tA\t" + std::string(2001, 'x') + "\n").find("text must be"), std::string::npos);
}

TEST(canned_responses, a_missing_folder_means_none) {
  auto canned = canned_responses::load("/nonexistent/canned");
  EXPECT_TRUE(canned->languages().empty());
}

}  // namespace
}  // namespace triage
