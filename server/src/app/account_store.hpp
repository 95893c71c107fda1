#pragma once
// Advisor, supervisor and admin accounts: argon2id password hashes (libsodium), session tokens
// stored as hashes with a lifetime, and a lock after repeated failed passwords.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/record.hpp"
#include "app/redis_call.hpp"

namespace helpline {

enum class role { advisor = 0, supervisor = 1, admin = 2 };
std::optional<role> parse_role(std::string_view text);
std::string_view to_string(role r);

struct account {
  std::string id;  // the user name
  std::string name;
  role user_role = role::advisor;
  std::vector<std::string> languages;
  std::vector<std::string> caller_types;
  int capacity = 1;
  bool disabled = false;  // cannot log in (accounts are disabled, not deleted: records name them)

  bool is_supervisor() const { return user_role >= role::supervisor; }
  boost::json::object to_json() const;  // no password hash
  // name, role, languages, caller_types, capacity as field, value pairs: what the account hash
  // and the advisor's profile (advisor_store) store, never the password hash.
  std::vector<std::string> profile_fields() const;
  static account from_record(const std::string& id, const record& r);
};

// "en,pl" -> {"en", "pl"}: how account lists are stored and given on the command line.
std::vector<std::string> split_list(const std::string& csv);

// Argon2id via libsodium; CPU-heavy, so callers run these off the io_context threads.
std::string hash_password(const std::string& password);
bool verify_password(const std::string& hash, const std::string& password);
// Validates a new account; returns an error message or "".
std::string validate_account(const account& a, const std::string& password);

class account_store {
 public:
  account_store(redis_call redis, std::chrono::hours session_lifetime);

  struct login_result {
    account who;
    std::string token;
    long long expires_at = 0;
  };
  // Throws protocol_error bad_credentials / locked / unavailable.
  boost::asio::awaitable<login_result> login_with_password(const std::string& username, const std::string& password);
  boost::asio::awaitable<login_result> login_with_token(const std::string& token);
  boost::asio::awaitable<std::optional<account>> find(const std::string& username);
  boost::asio::awaitable<std::vector<account>> list();
  // Administration. add: conflict when the user exists, bad_request naming the field otherwise.
  boost::asio::awaitable<account> add(account a, std::string password);
  // Changes the fields present in `changes` (name, role, languages, caller_types, capacity,
  // disabled, password); not_found for an unknown user.
  boost::asio::awaitable<account> update(const std::string& username, const boost::json::object& changes);

  // The commands that store a new account (also run by `helpline user add` on a blocking
  // connection), and the one that tells whether a user name is taken (replies 1).
  static std::vector<std::vector<std::string>> create_commands(const account& a, const std::string& password_hash);
  static std::vector<std::string> exists_command(const std::string& username);

 private:
  boost::asio::awaitable<login_result> new_session(account who);

  redis_call redis_;
  std::chrono::hours session_lifetime_;
  boost::asio::thread_pool hashing_{1};  // argon2id verification, one at a time (bounded memory)
};

}  // namespace helpline
