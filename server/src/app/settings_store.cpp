#include "app/settings_store.hpp"

#include "app/keys.hpp"

namespace helpline {
namespace asio = boost::asio;

asio::awaitable<std::optional<std::string>> settings_store::hours() {
  co_return (co_await redis_.call("GET", keys::hours)).as_optional_string();
}

asio::awaitable<void> settings_store::set_hours(const std::string& hours_json) {
  co_await redis_.call("SET", keys::hours, hours_json);
}

}  // namespace helpline
