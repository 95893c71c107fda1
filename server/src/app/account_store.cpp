#include "app/account_store.hpp"

#include <sodium.h>

#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <algorithm>
#include <regex>
#include <sstream>

#include "app/ids.hpp"
#include "app/json_fields.hpp"
#include "app/keys.hpp"
#include "app/protocol_error.hpp"
#include "triage/caller_type.hpp"

namespace helpline {
namespace asio = boost::asio;
namespace json = boost::json;

namespace {
constexpr int max_failures = 5;
constexpr int failure_window_seconds = 15 * 60;

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out;
}
}  // namespace

std::optional<role> parse_role(std::string_view text) {
  if (text == "advisor") return role::advisor;
  if (text == "supervisor") return role::supervisor;
  if (text == "admin") return role::admin;
  return std::nullopt;
}

std::string_view to_string(role r) {
  switch (r) {
    case role::supervisor: return "supervisor";
    case role::admin: return "admin";
    default: return "advisor";
  }
}

std::vector<std::string> split_list(const std::string& csv) {
  std::vector<std::string> out;
  std::stringstream in(csv);
  std::string part;
  while (std::getline(in, part, ',')) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

json::object account::to_json() const {
  json::array langs, types;
  for (const auto& l : languages) langs.emplace_back(l);
  for (const auto& t : caller_types) types.emplace_back(t);
  return {{"id", id}, {"name", name}, {"role", to_string(user_role)}, {"languages", std::move(langs)},
          {"caller_types", std::move(types)}, {"capacity", capacity}, {"disabled", disabled}};
}

std::vector<std::string> account::profile_fields() const {
  return {"name", name, "role", std::string(to_string(user_role)), "languages", join(languages),
          "caller_types", join(caller_types), "capacity", std::to_string(capacity)};
}

account account::from_record(const std::string& id, const record& r) {
  using record_fields::text;
  account a;
  a.id = id;
  a.name = text(r, "name");
  a.user_role = parse_role(text(r, "role")).value_or(role::advisor);
  a.languages = split_list(text(r, "languages"));
  a.caller_types = split_list(text(r, "caller_types"));
  a.disabled = text(r, "disabled") == "1";
  a.capacity = static_cast<int>(std::max(1LL, record_fields::number(r, "capacity")));
  return a;
}

std::string hash_password(const std::string& password) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  std::string out(crypto_pwhash_STRBYTES, '\0');
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  out.resize(std::strlen(out.c_str()));
  return out;
}

bool verify_password(const std::string& hash, const std::string& password) {
  if (sodium_init() < 0) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string validate_account(const account& a, const std::string& password) {
  static const std::regex username(R"([a-z0-9][a-z0-9._-]{1,31})");
  if (!std::regex_match(a.id, username)) return "username: 2-32 characters: a-z, 0-9, '.', '_' or '-'";
  if (a.name.empty() || a.name.size() > 80) return "name: 1-80 characters";
  if (password.size() < 10) return "password: at least 10 characters";
  if (password.size() > 1024) return "password: at most 1024 characters";
  if (a.capacity < 1 || a.capacity > 10) return "capacity: 1-10";
  if (a.languages.empty()) return "languages: at least one";
  for (const auto& t : a.caller_types) {
    if (!triage::parse_caller_type(t)) return "caller types: unknown \"" + t + "\"";
  }
  return "";
}

std::vector<std::vector<std::string>> account_store::create_commands(const account& a,
                                                                   const std::string& password_hash) {
  std::vector<std::string> hset{"HSET", keys::user(a.id)};
  for (auto& f : a.profile_fields()) hset.push_back(std::move(f));
  hset.insert(hset.end(), {"password", password_hash});
  return {std::move(hset), {"SADD", keys::users, a.id}};
}

std::vector<std::string> account_store::exists_command(const std::string& username) {
  return {"EXISTS", keys::user(username)};
}

account_store::account_store(redis_call redis, std::chrono::hours session_lifetime)
    : redis_(std::move(redis)), session_lifetime_(session_lifetime) {}

asio::awaitable<std::optional<account>> account_store::find(const std::string& username) {
  record r = co_await redis_.hgetall(keys::user(username));
  if (r.empty()) co_return std::nullopt;
  co_return account::from_record(username, r);
}

asio::awaitable<account_store::login_result> account_store::login_with_password(const std::string& username,
                                                                                const std::string& password) {
  const std::string fail_key = keys::login_failures(username);
  auto fails = (co_await redis_.call("GET", fail_key)).as_optional_string();
  if (fails && std::stoi(*fails) >= max_failures) {
    throw protocol_error("locked", "too many failed logins; try again in 15 minutes");
  }
  record r = co_await redis_.hgetall(keys::user(username));
  std::string hash = record_fields::text(r, "password");
  // Verify on the hashing pool, then resume on this connection's strand.
  auto home = co_await asio::this_coro::executor;
  co_await asio::post(hashing_, asio::use_awaitable);
  // A disabled account fails like a wrong password (after the same work, so timing tells nothing).
  bool ok = !hash.empty() && verify_password(hash, password) && record_fields::text(r, "disabled") != "1";
  co_await asio::post(home, asio::use_awaitable);
  if (!ok) {
    std::vector<std::vector<std::string>> count_failure{{"INCR", fail_key},
                                                        {"EXPIRE", fail_key, std::to_string(failure_window_seconds)}};
    co_await redis_.pipeline(std::move(count_failure));
    throw protocol_error("bad_credentials", "wrong user name or password");
  }
  co_await redis_.call("DEL", fail_key);
  co_return co_await new_session(account::from_record(username, r));
}

asio::awaitable<account_store::login_result> account_store::login_with_token(const std::string& token) {
  const std::string session_key = keys::session(ids::token_hash(token));
  auto user = (co_await redis_.call("GET", session_key)).as_optional_string();
  if (!user) throw protocol_error("bad_credentials", "the session has expired; log in again");
  auto who = co_await find(*user);
  if (!who || who->disabled) throw protocol_error("bad_credentials", "the account no longer exists or is disabled");
  auto ttl = (co_await redis_.call("PTTL", session_key)).as_integer();
  co_return login_result{*who, token, json_fields::now_ms() + std::max(0LL, ttl)};
}

asio::awaitable<std::vector<account>> account_store::list() {
  auto names = co_await redis_.call("SMEMBERS", keys::users);
  std::vector<std::vector<std::string>> cmds;
  std::vector<std::string> ids;
  for (const auto& n : names.as_array()) {
    ids.push_back(n.str);
    cmds.push_back({"HGETALL", keys::user(n.str)});
  }
  std::vector<account> out;
  if (cmds.empty()) co_return out;
  auto replies = co_await redis_.pipeline(std::move(cmds));
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto r = redis_call::to_record(replies[i]);
    if (!r.empty()) out.push_back(account::from_record(ids[i], r));
  }
  std::sort(out.begin(), out.end(), [](const account& a, const account& b) { return a.id < b.id; });
  co_return out;
}

asio::awaitable<account> account_store::add(account a, std::string password) {
  if (std::string err = validate_account(a, password); !err.empty()) throw protocol_error("bad_request", err);
  if ((co_await redis_.command(exists_command(a.id))).as_integer() == 1) {
    throw protocol_error("conflict", "that user name is taken");
  }
  auto home = co_await asio::this_coro::executor;
  co_await asio::post(hashing_, asio::use_awaitable);
  std::string hash = hash_password(password);
  co_await asio::post(home, asio::use_awaitable);
  co_await redis_.pipeline(create_commands(a, hash));
  co_return a;
}

asio::awaitable<account> account_store::update(const std::string& username, const json::object& changes) {
  auto found = co_await find(username);
  if (!found) throw protocol_error("not_found", "no such user");
  account a = *found;
  if (auto v = json_fields::optional_string(changes, "name", 80)) a.name = *v;
  if (auto v = json_fields::optional_string(changes, "role", 16)) {
    auto r = parse_role(*v);
    if (!r) throw protocol_error("bad_request", "role must be advisor, supervisor or admin");
    a.user_role = *r;
  }
  if (changes.contains("languages")) a.languages = json_fields::required_strings(changes, "languages", 20, 16);
  if (changes.contains("caller_types")) a.caller_types = json_fields::required_strings(changes, "caller_types", 4, 32);
  if (auto v = json_fields::optional_int(changes, "capacity")) a.capacity = static_cast<int>(*v);
  if (const auto* d = changes.if_contains("disabled")) {
    if (!d->is_bool()) throw protocol_error("bad_request", "disabled must be true or false");
    a.disabled = d->as_bool();
  }
  auto password = json_fields::optional_string(changes, "password", 1024);
  // Validate with a stand-in password when it is not being changed.
  if (std::string err = validate_account(a, password.value_or("unchanged-password")); !err.empty()) {
    throw protocol_error("bad_request", err);
  }
  std::vector<std::string> hset{"HSET", keys::user(a.id)};
  for (auto& f : a.profile_fields()) hset.push_back(std::move(f));
  hset.insert(hset.end(), {"disabled", a.disabled ? "1" : "0"});
  if (password) {
    auto home = co_await asio::this_coro::executor;
    co_await asio::post(hashing_, asio::use_awaitable);
    std::string hash = hash_password(*password);
    co_await asio::post(home, asio::use_awaitable);
    hset.push_back("password");
    hset.push_back(hash);
  }
  std::vector<std::vector<std::string>> cmds{hset};
  // The console's copy of the account (presence hash) follows at the next login.
  co_await redis_.pipeline(std::move(cmds));
  co_return a;
}

asio::awaitable<account_store::login_result> account_store::new_session(account who) {
  std::string token = ids::new_token("t_");
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(session_lifetime_).count();
  co_await redis_.call("SET", keys::session(ids::token_hash(token)), who.id, "EX", std::to_string(seconds));
  co_return login_result{std::move(who), token, json_fields::now_ms() + seconds * 1000};
}

}  // namespace helpline
