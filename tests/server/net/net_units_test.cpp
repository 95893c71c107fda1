// Small parts of the transport on their own: metrics format, token bucket, path decoding,
// static path resolution, Origin policy, logging setup.
#include "net/log.hpp"
#include "net/metrics_registry.hpp"
#include "net/security_policy.hpp"
#include "net/static_files.hpp"
#include "net/token_bucket.hpp"
#include "net_test_support.hpp"

#include <gtest/gtest.h>

#include <thread>

using namespace helpline::net;

TEST(metrics_registry, renders_prometheus_text_format) {
  metrics_registry r;
  r.counter("requests_total", "Requests seen", {{"kind", "visitor"}}).inc();
  r.counter("requests_total", "Requests seen", {{"kind", "visitor"}}).inc(2);
  r.counter("requests_total", "Requests seen", {{"kind", "advisor"}});
  r.gauge("open", "Open things").set(3);
  auto& h = r.histogram("latency_seconds", "Latency", {0.1, 1.0}, {{"op", "a\"b"}});
  h.observe(0.05);
  h.observe(0.5);
  h.observe(5);
  const std::string expected =
      "# HELP requests_total Requests seen\n"
      "# TYPE requests_total counter\n"
      "requests_total{kind=\"visitor\"} 3\n"
      "requests_total{kind=\"advisor\"} 0\n"
      "# HELP open Open things\n"
      "# TYPE open gauge\n"
      "open 3\n"
      "# HELP latency_seconds Latency\n"
      "# TYPE latency_seconds histogram\n"
      "latency_seconds_bucket{op=\"a\\\"b\",le=\"0.1\"} 1\n"
      "latency_seconds_bucket{op=\"a\\\"b\",le=\"1\"} 2\n"
      "latency_seconds_bucket{op=\"a\\\"b\",le=\"+Inf\"} 3\n"
      "latency_seconds_sum{op=\"a\\\"b\"} 5.55\n"
      "latency_seconds_count{op=\"a\\\"b\"} 3\n";
  EXPECT_EQ(r.render(), expected);
}

TEST(metrics_registry, refuses_conflicting_or_invalid_registrations) {
  metrics_registry r;
  r.counter("things_total", "Things");
  EXPECT_THROW(r.gauge("things_total", "Things"), std::invalid_argument);
  EXPECT_THROW(r.counter("things_total", "Other help"), std::invalid_argument);
  EXPECT_THROW(r.counter("bad name", "x"), std::invalid_argument);
  EXPECT_THROW(r.counter("ok_total", "x", {{"le", "1"}}), std::invalid_argument);
  EXPECT_THROW(r.histogram("h", "x", {1.0, 0.5}), std::invalid_argument);
  r.histogram("h2", "x", {1.0});
  EXPECT_THROW(r.histogram("h2", "x", {2.0}, {{"a", "b"}}), std::invalid_argument);
}

TEST(metrics_registry, counts_exactly_under_concurrency) {
  metrics_registry r;
  auto& c = r.counter("hits_total", "Hits");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) c.inc();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.value(), 40000.0);
}

TEST(token_bucket, allows_a_burst_then_refills_at_the_rate) {
  const auto t0 = token_bucket::clock::now();
  token_bucket bucket(2.0, 3.0, t0);
  EXPECT_TRUE(bucket.full(t0));
  EXPECT_TRUE(bucket.try_take(t0));
  EXPECT_TRUE(bucket.try_take(t0));
  EXPECT_TRUE(bucket.try_take(t0));
  EXPECT_FALSE(bucket.try_take(t0));
  EXPECT_FALSE(bucket.try_take(t0 + std::chrono::milliseconds(400)));  // 0.8 token
  EXPECT_TRUE(bucket.try_take(t0 + std::chrono::milliseconds(500)));   // 1.0 token
  EXPECT_FALSE(bucket.full(t0 + std::chrono::milliseconds(1000)));
  EXPECT_TRUE(bucket.full(t0 + std::chrono::seconds(60)));  // capped at burst
  EXPECT_THROW(token_bucket(1.0, 0.5, t0), std::invalid_argument);
}

TEST(static_files, percent_decode_rejects_malformed_escapes_and_nul) {
  EXPECT_EQ(percent_decode("a%2Fb%2e"), "a/b.");
  EXPECT_EQ(percent_decode("%zz"), std::nullopt);
  EXPECT_EQ(percent_decode("abc%2"), std::nullopt);
  EXPECT_EQ(percent_decode("abc%"), std::nullopt);
  EXPECT_EQ(percent_decode("a%00b"), std::nullopt);
}

TEST(static_files, resolve_stays_inside_the_mounts) {
  net_test::static_tree tree;
  static_files files(tree.root());
  const auto widget = std::filesystem::canonical(tree.root() / "web-widget");
  EXPECT_EQ(files.resolve("/widget/widget.mjs"), widget / "widget.mjs");
  EXPECT_EQ(files.resolve("/widget//demo//index.html"), widget / "demo" / "index.html");
  EXPECT_EQ(files.resolve("/widget/../secret.txt"), std::nullopt);
  EXPECT_EQ(files.resolve("/widget/%2e%2e/secret.txt"), std::nullopt);
  EXPECT_EQ(files.resolve("/widget/.env"), std::nullopt);
  EXPECT_EQ(files.resolve("/other/widget.mjs"), std::nullopt);
  // A symlink leading out of the mount is refused as well.
  std::filesystem::create_symlink(tree.root() / "secret.txt", widget / "link.txt");
  EXPECT_EQ(files.resolve("/widget/link.txt"), std::nullopt);
  EXPECT_EQ(static_files::mime_type("x.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(static_files::mime_type("x.unknown"), "application/octet-stream");
}

TEST(security_policy, origin_rules) {
  server_options same_host;
  security_policy p(same_host);
  EXPECT_TRUE(p.origin_allowed("", "chat.example:8080"));
  EXPECT_TRUE(p.origin_allowed("https://chat.example:8080", "chat.example:8080"));
  EXPECT_TRUE(p.origin_allowed("https://CHAT.example:8080", "chat.example:8080"));
  EXPECT_FALSE(p.origin_allowed("https://chat.example:9090", "chat.example:8080"));
  EXPECT_FALSE(p.origin_allowed("https://chat.example.evil:8080", "chat.example:8080"));
  EXPECT_FALSE(p.origin_allowed("null", "chat.example:8080"));
}

TEST(log, init_validates_the_level_and_loggers_are_shared) {
  EXPECT_THROW(log::init("loud", false), std::invalid_argument);
  log::init("off", true);
  auto a = log::get("test-component");
  EXPECT_EQ(a, log::get("test-component"));
  EXPECT_EQ(a->level(), spdlog::level::off);
  log::init("warn", false);
  EXPECT_EQ(a->level(), spdlog::level::warn);
  log::init("info", false);
}

TEST(log, json_lines_are_valid_json_objects) {
  log::init("info", true);
  auto logger = log::get("test-json");
  testing::internal::CaptureStderr();
  logger->info("closing code={} reason={}", 1008, "a \"quoted\"\nreason");
  logger->flush();
  const std::string line = testing::internal::GetCapturedStderr();
  log::init("info", false);
  EXPECT_EQ(line.rfind("{\"ts\":\"", 0), 0u) << line;
  EXPECT_NE(line.find("\"level\":\"info\""), std::string::npos) << line;
  EXPECT_NE(line.find("\"component\":\"test-json\""), std::string::npos) << line;
  EXPECT_NE(line.find(R"("msg":"closing code=1008 reason=a \"quoted\"\nreason"})"), std::string::npos) << line;
  EXPECT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line per record";
}
