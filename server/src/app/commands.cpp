#include "app/commands.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

#include "app/account_store.hpp"
#include "app/app_config.hpp"
#include "app/helpline_app.hpp"
#include "net/http_server.hpp"
#include "net/log.hpp"
#include "redis/blocking_connection.hpp"
#include "redis/error.hpp"
#include "triage/content_error.hpp"
#include "triage/corpus_evaluation.hpp"
#include "triage/import_postcodes_command.hpp"
#include "triage/programmes_command.hpp"
#include "triage/screen_command.hpp"
#include "triage/screening_engine.hpp"

namespace helpline {
namespace asio = boost::asio;

namespace {

// "--name value" options; flags without a value map to "".
class arguments {
 public:
  arguments(const std::vector<std::string>& args, const std::vector<std::string>& flags) {
    for (std::size_t i = 0; i < args.size(); ++i) {
      const std::string& a = args[i];
      if (a.rfind("--", 0) != 0) throw std::invalid_argument("unexpected argument \"" + a + "\"");
      std::string name = a.substr(2);
      if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
        values_[name] = "";
      } else {
        if (i + 1 >= args.size()) throw std::invalid_argument(a + " needs a value");
        values_[name] = args[++i];
      }
    }
  }
  std::optional<std::string> get(const std::string& name) const {
    auto it = values_.find(name);
    return it == values_.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
  std::string require(const std::string& name) const {
    auto v = get(name);
    if (!v || v->empty()) throw std::invalid_argument("--" + name + " is required");
    return *v;
  }
  bool has(const std::string& name) const { return values_.count(name) > 0; }
  void only(const std::vector<std::string>& known) const {
    for (const auto& [k, v] : values_) {
      if (std::find(known.begin(), known.end(), k) == known.end()) throw std::invalid_argument("unknown option --" + k);
    }
  }

 private:
  std::map<std::string, std::string> values_;
};

// --config FILE, else $HELPLINE_CONFIG, else defaults (plus HELPLINE_* overrides).
app_config load_config(const arguments& a) {
  std::string path = a.get("config").value_or("");
  if (path.empty()) {
    if (const char* env = std::getenv("HELPLINE_CONFIG")) path = env;
  }
  return app_config::load(path, app_config::environment());
}

template <class F>
int guarded(const char* name, F&& body) {
  try {
    return body();
  } catch (const config_error& e) {
    std::cerr << "helpline " << name << ": " << e.what() << "\n";
  } catch (const triage::content_error& e) {
    std::cerr << "helpline " << name << ": content: " << e.what() << "\n";
  } catch (const redis::error& e) {
    std::cerr << "helpline " << name << ": redis: " << e.what() << "\n";
  } catch (const std::invalid_argument& e) {
    std::cerr << "helpline " << name << ": " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "helpline " << name << ": " << e.what() << "\n";
  }
  return 2;
}

}  // namespace

int serve_command(const std::vector<std::string>& args) {
  return guarded("serve", [&] {
    arguments a(args, {});
    a.only({"config"});
    app_config config = load_config(a);
    net::log::init(config.log_level, config.log_json);
    auto log = net::log::get("app");

    asio::io_context ioc(static_cast<int>(config.server.threads));
    net::metrics_registry metrics;
    helpline_app app(ioc, config, metrics);
    net::http_server server(ioc, config.server, app, metrics);
    server.start();
    app.start();
    log->info("node {} listening on {}:{} ({} threads); redis {}:{}", config.node_id, config.server.address,
              server.port(), config.server.threads, config.redis.host, config.redis.port);

    asio::signal_set signals(ioc, SIGINT, SIGTERM);
    asio::steady_timer grace(ioc);
    signals.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      log->info("stopping: closing connections");
      server.stop();
      app.stop();
      // Give close frames a moment to leave, then stop whatever timers remain.
      grace.expires_after(std::chrono::milliseconds(500));
      grace.async_wait([&](const boost::system::error_code&) { ioc.stop(); });
    });

    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < config.server.threads; ++i) threads.emplace_back([&] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
    log->info("stopped");
    return 0;
  });
}

int user_command(const std::vector<std::string>& args) {
  return guarded("user", [&] {
    if (args.empty() || args[0] != "add") {
      throw std::invalid_argument(
          "usage: helpline user add --username NAME --name \"Display Name\" --role advisor|supervisor|admin "
          "[--languages en,pl] [--caller-types own_behaviour,...] [--capacity N] [--if-missing] "
          "[--config FILE]  (the password is read from standard input)");
    }
    arguments a(std::vector<std::string>(args.begin() + 1, args.end()), {"password-stdin", "if-missing"});
    a.only({"config", "username", "name", "role", "languages", "caller-types", "capacity", "password-stdin", "if-missing"});
    app_config config = load_config(a);
    account acc;
    acc.id = a.require("username");
    acc.name = a.require("name");
    auto r = parse_role(a.require("role"));
    if (!r) throw std::invalid_argument("--role must be advisor, supervisor or admin");
    acc.user_role = *r;
    acc.languages = split_list(a.get("languages").value_or(config.default_language));
    acc.caller_types = split_list(a.get("caller-types").value_or("own_behaviour,professional,friend_family,experiencing_abuse"));
    acc.capacity = std::stoi(a.get("capacity").value_or("2"));

    auto redis = redis::blocking_connection::connect(config.redis);
    if (redis.command(account_store::exists_command(acc.id)).as_integer() == 1) {
      if (a.has("if-missing")) {
        std::cout << "user " << acc.id << " exists; left unchanged\n";
        return 0;
      }
      throw std::invalid_argument("user " + acc.id + " already exists");
    }
    std::string password;
    std::getline(std::cin, password);
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (std::string err = validate_account(acc, password); !err.empty()) throw std::invalid_argument(err);
    std::string hash = hash_password(password);
    for (const auto& command : account_store::create_commands(acc, hash)) redis.command(command);
    std::cout << "created " << to_string(acc.user_role) << " " << acc.id << "\n";
    return 0;
  });
}

int screen_command(const std::vector<std::string>& args) {
  return guarded("screen", [&] {
    arguments a(args, {"misses", "rules-only", "explain"});
    a.only({"config", "content", "model", "lang", "eval", "misses", "rules-only", "explain"});
    app_config config = load_config(a);
    auto engine = triage::screening_engine::load(a.get("content").value_or(config.content_dir.string()),
                                                 triage::screening_options{a.get("model").value_or(config.screening_model.string())});
    if (auto eval = a.get("eval")) {
      // --eval FILE|FOLDER[,FILE|FOLDER...]: recall, false alarms and under-triage of labelled corpora.
      std::vector<std::filesystem::path> paths;
      std::string list = *eval;
      for (std::size_t start = 0; start <= list.size();) {
        const auto comma = list.find(',', start);
        const auto item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!item.empty()) paths.emplace_back(item);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      return triage::run_evaluation(*engine, paths, std::cout, a.has("misses"), !a.has("rules-only"));
    }
    if (a.has("explain")) {
      // Each input line is a message of one conversation: what matched and why, for content editors.
      triage::screening_context context;
      const std::string lang = a.get("lang").value_or(config.default_language);
      for (std::string line; std::getline(std::cin, line);) {
        for (const auto& l : engine->explain(line, lang, context)) std::cout << l << "\n";
        context = engine->screen_in_conversation(line, lang, context).context;
        std::cout << "--\n";
      }
      return 0;
    }
    std::ios::sync_with_stdio(false);
    return triage::run_screen_command(std::cin, std::cout, *engine, a.get("lang").value_or(config.default_language));
  });
}

int programmes_command(const std::vector<std::string>& args) {
  return guarded("programmes", [&] {
    std::filesystem::path content = "content";
    std::vector<std::string> rest;
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (args[i] == "--config" && i + 1 < args.size()) {
        content = app_config::load(args[++i], app_config::environment()).content_dir;
      } else {
        rest.push_back(args[i]);
      }
    }
    return triage::run_programmes_command(rest, content, std::cout, std::cerr);
  });
}

int import_postcodes_command(const std::vector<std::string>& args) {
  return guarded("import-postcodes", [&] { return triage::run_import_postcodes_command(args, std::cout, std::cerr); });
}

int check_config_command(const std::vector<std::string>& args) {
  return guarded("check-config", [&] {
    arguments a(args, {});
    a.only({"config", "get"});
    app_config config = load_config(a);
    if (auto key = a.get("get")) {  // for scripts: one effective setting, after env overrides
      if (*key == "server.port") {
        std::cout << config.server.port << "\n";
      } else if (*key == "redis.port") {
        std::cout << config.redis.port << "\n";
      } else if (*key == "redis.host") {
        std::cout << config.redis.host << "\n";
      } else {
        throw std::invalid_argument("--get knows server.port, redis.host and redis.port");
      }
      return 0;
    }
    helpline_content::load(config.content_dir, config.screening_model);
    opening_hours hours(config.hours);
    std::cout << "configuration and content are valid\n";
    return 0;
  });
}

}  // namespace helpline
