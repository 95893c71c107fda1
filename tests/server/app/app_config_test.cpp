// The configuration is validated at start: every bad key is named in the error.
#include "app/app_config.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

namespace helpline {
namespace {

class temp_config {
 public:
  explicit temp_config(const std::string& json) {
    path_ = std::filesystem::temp_directory_path() /
            ("helpline-config-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++) + ".json");
    std::ofstream(path_) << json;
  }
  ~temp_config() { std::filesystem::remove(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

std::string error_key(const std::string& json, const std::map<std::string, std::string>& env = {}) {
  temp_config file(json);
  try {
    app_config::load(file.path(), env);
  } catch (const config_error& e) {
    return e.key();
  }
  return "(no error)";
}

TEST(app_config, defaults_without_a_file_are_valid_and_bounded) {
  app_config c = app_config::load({}, {});
  EXPECT_EQ(c.server.port, 8080);
  EXPECT_EQ(c.redis.port, 6379);
  EXPECT_EQ(c.default_language, "en");
  EXPECT_EQ(c.routing.offer_timeout, std::chrono::seconds(30));
  EXPECT_GT(c.server.max_message_bytes, c.limits.max_text_bytes());
  EXPECT_FALSE(c.node_id.empty());
}

TEST(app_config, reads_the_file_and_environment_overrides_win) {
  temp_config file(R"({"node_id": "n1", "server": {"port": 9000}, "redis": {"host": "10.0.0.5", "port": 6400},
                      "routing": {"offer_timeout_seconds": 45, "ageing_seconds": {"low": 120}},
                      "hours": {"timezone": "Europe/Warsaw", "weekly": {"mon": [["09:00", "17:30"]]}}})");
  app_config c = app_config::load(file.path(), {{"HELPLINE_REDIS_PORT", "6500"}, {"HELPLINE_SERVER_PORT", "9100"}});
  EXPECT_EQ(c.node_id, "n1");
  EXPECT_EQ(c.server.port, 9100);
  EXPECT_EQ(c.redis.host, "10.0.0.5");
  EXPECT_EQ(c.redis.port, 6500);
  EXPECT_EQ(c.routing.offer_timeout, std::chrono::seconds(45));
  EXPECT_EQ(c.routing.level_boost[1], std::chrono::seconds(120));
  EXPECT_EQ(c.hours.timezone, "Europe/Warsaw");
  ASSERT_EQ(c.hours.weekly[0].size(), 1u);
  EXPECT_EQ(c.hours.weekly[0][0].open, 9 * 60);
  EXPECT_EQ(c.hours.weekly[0][0].close, 17 * 60 + 30);
}

TEST(app_config, every_bad_value_names_its_key) {
  EXPECT_EQ(error_key(R"({"server": {"prot": 80}})"), "server.prot");
  EXPECT_EQ(error_key(R"({"server": {"port": 70000}})"), "server.port");
  EXPECT_EQ(error_key(R"({"server": {"port": "eighty"}})"), "server.port");
  EXPECT_EQ(error_key(R"({"redis": {"port": 0}})"), "redis.port");
  EXPECT_EQ(error_key(R"({"hours": {"weekly": {"mon": [["9am", "5pm"]]}}})"), "hours.weekly.mon");
  EXPECT_EQ(error_key(R"({"hours": {"weekly": {"funday": []}}})"), "hours.weekly.funday");
  EXPECT_EQ(error_key(R"({"log": {"level": "loud"}})"), "log.level");
  EXPECT_EQ(error_key(R"({"hours": {"closures": [{"date": "2026-13-25", "reason": "x"}]}})"), "hours.closures");
  EXPECT_EQ(error_key(R"({"hours": {"closures": [{"date": "2026-02-30"}]}})"), "hours.closures");
  EXPECT_EQ(error_key(R"({"hours": {"closures": [{"date": "2028-02-29"}]}})"), "(no error)") << "a leap day";
  EXPECT_EQ(error_key(R"({"server": {"tls": {"cert_file": "a.pem"}}})"), "server.tls");
  EXPECT_EQ(error_key(R"({"limits": {"max_text_chars": 4000}, "server": {"max_message_bytes": 8192}})"), "limits.max_text_chars");
  EXPECT_EQ(error_key(R"({"limits": {"max_text_chars": 5000}})"), "limits.max_text_chars");
  EXPECT_EQ(error_key(R"({"routing": {"offer_timeout_seconds": 0}})"), "routing.offer_timeout_seconds");
  EXPECT_EQ(error_key("{}", {{"HELPLINE_REDIS_PORT", "not-a-port"}}), "redis.port");
  EXPECT_EQ(error_key("{}", {{"HELPLINE_REDIS_PROT", "6380"}}), "redis_prot") << "a mistyped override is refused";
  EXPECT_EQ(error_key("{}", {{"HELPLINE_CONFIG", "x.json"}, {"HELPLINE_BUILD_JOBS", "2"}}), "(no error)");
}

TEST(app_config, a_file_that_is_not_json_is_an_error_naming_the_file) {
  temp_config file("{ not json");
  try {
    app_config::load(file.path(), {});
    FAIL() << "accepted a broken file";
  } catch (const config_error& e) {
    EXPECT_NE(std::string(e.what()).find(file.path().filename().string()), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace helpline
