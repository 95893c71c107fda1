// The route table both WebSocket endpoints dispatch through, and the advisor endpoint's table:
// a role has what the role below it has, every routed type has a handler, and
// `logged_in.features` is read from the table.
#include "app/route_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "app/advisor_routes.hpp"

namespace helpline {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

enum class level { anyone, member, owner };

struct fake_connection {
  std::vector<std::string> handled;
  asio::awaitable<void> on_hello(const json::object&) {
    handled.push_back("hello");
    co_return;
  }
};

// A handler class made from the connection for each request.
class fake_handler {
 public:
  explicit fake_handler(fake_connection& c) : c_(c) {}
  asio::awaitable<void> on_close(const json::object& request) {
    c_.handled.push_back(std::string(request.at("type").as_string()));
    co_return;
  }

 private:
  fake_connection& c_;
};

TEST(route_table, dispatches_to_connection_members_and_handler_classes) {
  route_table<fake_connection, level> table;
  table.add<&fake_connection::on_hello>("hello", level::anyone);
  table.add<&fake_handler::on_close>("close", level::owner);
  table.add_feature("http_api", level::member);

  ASSERT_NE(table.find("hello"), nullptr);
  ASSERT_NE(table.find("close"), nullptr);
  EXPECT_EQ(table.find("close")->minimum, level::owner);
  EXPECT_EQ(table.find("frobnicate"), nullptr);
  EXPECT_EQ(table.find("http_api"), nullptr) << "a feature is not a WebSocket request";

  fake_connection connection;
  asio::io_context ioc;
  const json::object hello{{"type", "hello"}}, close{{"type", "close"}};
  asio::co_spawn(ioc, table.find("hello")->handle(connection, hello), asio::detached);
  asio::co_spawn(ioc, table.find("close")->handle(connection, close), asio::detached);
  ioc.run();
  EXPECT_EQ(connection.handled, (std::vector<std::string>{"hello", "close"}));

  EXPECT_EQ(table.allowed(level::member, level::member), std::vector<std::string>{"http_api"});
  EXPECT_EQ(table.allowed(level::anyone, level::owner), (std::vector<std::string>{"close", "hello", "http_api"}));
  EXPECT_THROW(table.add<&fake_connection::on_hello>("hello", level::member), std::logic_error);
}

std::vector<std::string> names(const json::array& a) {
  std::vector<std::string> out;
  for (const auto& v : a) out.emplace_back(v.as_string());
  return out;
}

TEST(advisor_routes, each_role_has_what_the_role_below_has_and_features_come_from_the_table) {
  const auto advisor = names(advisor_features(role::advisor));
  const auto supervisor = names(advisor_features(role::supervisor));
  const auto admin = names(advisor_features(role::admin));
  EXPECT_TRUE(std::includes(supervisor.begin(), supervisor.end(), advisor.begin(), advisor.end()));
  EXPECT_TRUE(std::includes(admin.begin(), admin.end(), supervisor.begin(), supervisor.end()));
  EXPECT_EQ(admin, advisor_routes().allowed(advisor_access::advisor, advisor_access::admin));

  auto has = [](const std::vector<std::string>& list, const char* name) {
    return std::find(list.begin(), list.end(), name) != list.end();
  };
  // Login and ping need no account: routed, never features.
  for (const char* open : {"login", "ping"}) {
    ASSERT_NE(advisor_routes().find(open), nullptr) << open;
    EXPECT_EQ(advisor_routes().find(open)->minimum, advisor_access::anyone) << open;
    EXPECT_FALSE(has(admin, open)) << open;
  }
  EXPECT_TRUE(has(advisor, "programmes"));
  EXPECT_FALSE(has(advisor, "stats"));
  EXPECT_TRUE(has(supervisor, "plan_confirm"));
  EXPECT_FALSE(has(supervisor, "users"));
  EXPECT_TRUE(has(admin, "directory"));
  EXPECT_EQ(advisor_routes().find("directory"), nullptr) << "the directory is an HTTP API";
}

}  // namespace
}  // namespace helpline
