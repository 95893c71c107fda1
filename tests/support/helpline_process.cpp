#include "helpline_process.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "child_process.hpp"
#include "free_port.hpp"
#include "test_paths.hpp"

namespace test_support {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using steady = std::chrono::steady_clock;

namespace {

// Merges `patch` into `base`: objects key by key, anything else replaced.
void merge(json::object& base, const json::object& patch) {
  for (const auto& kv : patch) {
    json::value* existing = base.if_contains(kv.key());
    if (existing != nullptr && existing->is_object() && kv.value().is_object()) {
      merge(existing->as_object(), kv.value().as_object());
    } else {
      base[kv.key()] = kv.value();
    }
  }
}

std::string join(const std::vector<std::string>& items, char sep) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string read_tail(const std::filesystem::path& file, std::size_t max_bytes) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return "(no log at " + file.string() + ")";
  in.seekg(0, std::ios::end);
  auto size = static_cast<std::size_t>(in.tellg());
  std::size_t start = size > max_bytes ? size - max_bytes : 0;
  in.seekg(static_cast<std::streamoff>(start));
  std::string text(size - start, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return (start > 0 ? "...(" + std::to_string(start) + " bytes before)\n" : std::string()) + text;
}

// "exit status 3" / "killed by signal 9" from a raw wait status.
std::string describe_status(int raw) {
  if (WIFEXITED(raw)) return "exit status " + std::to_string(WEXITSTATUS(raw));
  if (WIFSIGNALED(raw)) return "killed by signal " + std::to_string(WTERMSIG(raw));
  return "wait status " + std::to_string(raw);
}

bool exited_zero(int raw) { return WIFEXITED(raw) && WEXITSTATUS(raw) == 0; }

}  // namespace

helpline_process::helpline_process(helpline_options options, std::filesystem::path work_dir)
    : options_(std::move(options)), work_dir_(std::move(work_dir)) {
  if (options_.redis_port == 0) throw std::invalid_argument("helpline_process: redis_port is required");
  port_ = options_.port != 0 ? options_.port : free_port();
  std::filesystem::create_directories(work_dir_);
  config_path_ = work_dir_ / (options_.node_id + ".json");
  log_path_ = work_dir_ / (options_.node_id + ".log");
  cli_log_path_ = work_dir_ / (options_.node_id + "-cli.log");

  json::object hours{{"timezone", "Europe/London"}, {"always_open", options_.always_open}};
  if (!options_.always_open) hours["weekly"] = options_.weekly;
  config_ = json::object{
      {"node_id", options_.node_id},
      {"server", json::object{{"address", "127.0.0.1"},
                              {"port", port_},
                              {"threads", 2},
                              {"static_root", source_dir().string()}}},
      {"redis", json::object{{"host", "127.0.0.1"}, {"port", options_.redis_port}}},
      {"content_dir", (source_dir() / "content").string()},
      {"default_language", "en"},
      {"hours", hours},
      {"routing", json::object{{"offer_timeout_seconds", options_.offer_timeout_seconds},
                               {"skill_wait_seconds", options_.skill_wait_seconds},
                               {"abandon_after_seconds", options_.abandon_after_seconds},
                               {"tick_ms", options_.router_tick_ms}}},
      {"log", json::object{{"level", options_.log_level}}},
  };
  merge(config_, options_.overrides);
  std::ofstream out(config_path_);
  out << json::serialize(config_) << "\n";
  if (!out) throw std::runtime_error("helpline_process: cannot write " + config_path_.string());
}

helpline_process::~helpline_process() {
  if (running()) {
    try {
      kill();
    } catch (...) {
      // Nothing useful to do in a destructor; the process is gone or will be reaped by init.
    }
  }
}

void helpline_process::start(std::chrono::milliseconds ready_timeout) {
  launch();
  wait_ready(ready_timeout);
}

void helpline_process::launch() {
  if (running()) throw std::logic_error("helpline_process: " + options_.node_id + " already runs");
  {
    std::ofstream mark(log_path_, std::ios::app);
    mark << "===== test harness: starting helpline serve (" << options_.node_id << ", port " << port_
         << ") =====\n";
  }
  child_process::spec spec;
  spec.program = helpline_binary().string();
  spec.args = {"serve", "--config", config_path_.string()};
  spec.stdout_file = log_path_;
  spec.stderr_file = log_path_;
  process_ = std::make_unique<child_process>(std::move(spec));
}

void helpline_process::wait_ready(std::chrono::milliseconds ready_timeout) {
  if (!process_) throw std::logic_error("helpline_process: " + options_.node_id + " is not started");
  auto deadline = steady::now() + ready_timeout;
  for (;;) {
    if (!process_->is_running()) {
      auto status = process_->wait(std::chrono::milliseconds(0));
      throw std::runtime_error("helpline serve (" + options_.node_id + ") exited before it was ready (" +
                               (status ? describe_status(*status) : std::string("?")) + "); log:\n" +
                               log_tail());
    }
    if (http_status("/readyz") == 200) return;
    if (steady::now() >= deadline) {
      throw std::runtime_error("helpline serve (" + options_.node_id + ") not ready within " +
                               std::to_string(ready_timeout.count()) + " ms (GET /readyz = " +
                               std::to_string(http_status("/readyz")) + ", /healthz = " +
                               std::to_string(http_status("/healthz")) + "); log:\n" + log_tail());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void helpline_process::stop(std::chrono::milliseconds timeout) {
  if (!process_) return;
  process_->send_signal(SIGTERM);
  auto status = process_->wait(timeout);
  if (!status) {
    process_->send_signal(SIGKILL);
    process_->wait(std::chrono::seconds(5));
    process_.reset();
    throw std::runtime_error("helpline serve (" + options_.node_id + ") did not exit within " +
                             std::to_string(timeout.count()) + " ms of SIGTERM; log:\n" + log_tail());
  }
  process_.reset();
  if (!exited_zero(*status)) {
    throw std::runtime_error("helpline serve (" + options_.node_id + ") ended with " + describe_status(*status) +
                             " after SIGTERM (expected exit status 0); log:\n" + log_tail());
  }
}

void helpline_process::kill() {
  if (!process_) return;
  process_->send_signal(SIGKILL);
  process_->wait(std::chrono::seconds(10));
  process_.reset();
}

void helpline_process::restart() {
  stop();
  start();
}

bool helpline_process::running() const { return process_ && process_->is_running(); }

std::string helpline_process::log_tail(std::size_t max_bytes) const { return read_tail(log_path_, max_bytes); }

int helpline_process::run_cli(const std::vector<std::string>& args, const std::string& stdin_text) {
  {
    std::ofstream mark(cli_log_path_, std::ios::app);
    mark << "===== helpline " << join(args, ' ') << " =====\n";
  }
  // child_process gives children /dev/null as stdin, so a shell pipes the text in. The text
  // travels in an environment variable (not HELPLINE_*: those are config overrides), never on a
  // command line other processes could read.
  child_process::spec spec;
  spec.program = "/bin/sh";
  spec.args = {"-c", "printf '%s' \"$TEST_SUPPORT_STDIN\" | \"$0\" \"$@\"", helpline_binary().string()};
  spec.args.insert(spec.args.end(), args.begin(), args.end());
  spec.args.push_back("--config");
  spec.args.push_back(config_path_.string());
  spec.env["TEST_SUPPORT_STDIN"] = stdin_text;
  spec.stdout_file = cli_log_path_;
  spec.stderr_file = cli_log_path_;
  child_process cli(std::move(spec));
  auto status = cli.wait(std::chrono::seconds(60));
  if (!status) {
    cli.send_signal(SIGKILL);
    cli.wait(std::chrono::seconds(5));
    throw std::runtime_error("helpline " + join(args, ' ') + " did not finish within 60 s; output:\n" +
                             read_tail(cli_log_path_, 4000));
  }
  return WIFEXITED(*status) ? WEXITSTATUS(*status) : 128 + (WIFSIGNALED(*status) ? WTERMSIG(*status) : 0);
}

void helpline_process::add_user(const user_account& a) {
  std::vector<std::string> args{"user",        "add",      "--username",       a.username,
                                "--name",      a.name,     "--role",           a.role,
                                "--languages", join(a.languages, ','), "--caller-types", join(a.caller_types, ','),
                                "--capacity",  std::to_string(a.capacity), "--password-stdin"};
  int status = run_cli(args, a.password + "\n");
  if (status != 0) {
    throw std::runtime_error("helpline user add " + a.username + " exited with status " + std::to_string(status) +
                             "; output:\n" + read_tail(cli_log_path_, 4000));
  }
}

int helpline_process::http_status(const std::string& target) const { return http_get(target).first; }

std::pair<int, std::string> helpline_process::http_get(const std::string& target) const {
  return http("GET", target);
}

std::pair<int, std::string> helpline_process::http(const std::string& method, const std::string& target,
                                                   const std::string& body, const std::string& bearer) const {
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
  req.set(http::field::connection, "close");
  if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
  if (!body.empty()) {
    req.set(http::field::content_type, "application/json");
    req.body() = body;
  }
  req.prepare_payload();
  http::response<http::string_body> res;
  int status = -1;
  // Generous: an import or reload over HTTP reads every content file, slow in a sanitized server
  // with other tests beside it; only a broken run reaches this.
  stream.expires_after(std::chrono::seconds(60));
  stream.async_connect(asio::ip::tcp::endpoint(asio::ip::address_v4::loopback(), port_),
                       [&](boost::system::error_code ec) {
                         if (ec) return;
                         http::async_write(stream, req, [&](boost::system::error_code wec, std::size_t) {
                           if (wec) return;
                           http::async_read(stream, buffer, res, [&](boost::system::error_code rec, std::size_t) {
                             if (!rec) status = static_cast<int>(res.result_int());
                           });
                         });
                       });
  ioc.run();
  return {status, status < 0 ? std::string() : res.body()};
}

}  // namespace test_support
