// Content reloads: each reload is a new generation; an old one lives exactly as long as someone
// (a visitor mid-screening, a request in flight) still holds it, so reloads do not grow memory.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <memory>

#include "app/app_config.hpp"
#include "app/helpline_app.hpp"
#include "net/metrics_registry.hpp"
#include "test_paths.hpp"

namespace helpline {
namespace {

app_config config_with_repo_content() {
  app_config c = app_config::load({}, {});
  c.content_dir = test_support::source_dir() / "content";
  return c;  // never started: no Redis connection is made
}

TEST(content_generations, a_reload_frees_the_old_generation_once_nobody_holds_it) {
  boost::asio::io_context ioc;
  net::metrics_registry metrics;
  helpline_app app(ioc, config_with_repo_content(), metrics);

  std::weak_ptr<const helpline_content> first = app.content();
  ASSERT_FALSE(first.expired());
  for (int i = 0; i < 3; ++i) app.reload_content();
  EXPECT_TRUE(first.expired()) << "reloads must not keep every earlier generation";
  EXPECT_NE(app.content(), nullptr);
  EXPECT_TRUE(app.content()->engine->has_language("en"));
}

TEST(content_generations, a_holder_keeps_its_generation_usable_across_a_reload) {
  boost::asio::io_context ioc;
  net::metrics_registry metrics;
  helpline_app app(ioc, config_with_repo_content(), metrics);

  auto held = app.content();  // as a visitor's screening script does
  std::weak_ptr<const helpline_content> watch = held;
  auto current = app.reload_content();
  EXPECT_NE(held, current) << "a reload switches to a new generation";
  EXPECT_EQ(app.content(), current);
  ASSERT_FALSE(watch.expired());
  EXPECT_FALSE(held->engine->screen("he put his hands round her neck", "en").flags.empty())
      << "the held generation still screens";
  held.reset();
  EXPECT_TRUE(watch.expired()) << "and is freed when its last holder lets go";
}

}  // namespace
}  // namespace helpline
