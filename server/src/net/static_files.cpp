#include "net/static_files.hpp"

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <system_error>

namespace helpline::net {

namespace fs = std::filesystem;

string_response make_response(unsigned status, std::string content_type, std::string body, unsigned version,
                              bool keep_alive) {
  string_response res{static_cast<http::status>(status), version};
  res.set(http::field::content_type, content_type);
  res.body() = std::move(body);
  res.keep_alive(keep_alive);
  res.prepare_payload();
  return res;
}

namespace {

constexpr std::string_view widget_prefix = "/widget/";
constexpr std::string_view console_prefix = "/console/";

fs::path canonical_or_empty(const fs::path& p) {
  std::error_code ec;
  auto c = fs::canonical(p, ec);
  return ec ? fs::path{} : c;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool is_within(const fs::path& file, const fs::path& dir) {
  auto f = file.begin();
  for (auto d = dir.begin(); d != dir.end(); ++d, ++f) {
    if (f == file.end() || *f != *d) return false;
  }
  return true;
}

std::string http_date(std::chrono::system_clock::time_point t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  const auto n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(buf, n);
}

string_response not_found(const http_request& req) {
  return make_response(404, "text/html; charset=utf-8",
                       "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Not found</title>"
                       "<h1>Not found</h1><p>There is nothing at this address.</p></html>\n",
                       req.version(), req.keep_alive());
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') return std::nullopt;
    out += c;
  }
  return out;
}

static_files::static_files(fs::path root) {
  if (root.empty()) return;
  widget_dir_ = canonical_or_empty(root / "web-widget");
  console_dir_ = canonical_or_empty(root / "web-console");
}

bool static_files::handles(std::string_view path) noexcept {
  return path.starts_with(widget_prefix) || path.starts_with(console_prefix) || path == "/widget" || path == "/console";
}

std::optional<fs::path> static_files::resolve(std::string_view path) const {
  fs::path base;
  std::string_view rest;
  if (path.starts_with(widget_prefix)) {
    base = widget_dir_;
    rest = path.substr(widget_prefix.size());
  } else if (path.starts_with(console_prefix)) {
    base = console_dir_;
    rest = path.substr(console_prefix.size());
  } else {
    return std::nullopt;
  }
  if (base.empty()) return std::nullopt;
  const auto decoded = percent_decode(rest);
  if (!decoded) return std::nullopt;
  fs::path file = base;
  std::string_view remaining = *decoded;
  while (!remaining.empty()) {
    const auto slash = remaining.find('/');
    const std::string_view segment = remaining.substr(0, slash);
    remaining = slash == std::string_view::npos ? std::string_view{} : remaining.substr(slash + 1);
    if (segment.empty()) continue;
    // Refuses "..", ".", dotfiles (.git, .env) and anything a Windows-style path could abuse.
    if (segment.front() == '.' || segment.find('\\') != std::string_view::npos) return std::nullopt;
    file /= std::string(segment);
  }
  std::error_code ec;
  const fs::path real = fs::canonical(file, ec);  // resolves symlinks; fails if missing
  if (ec || !is_within(real, base)) return std::nullopt;
  return real;
}

std::string_view static_files::mime_type(const fs::path& file) noexcept {
  const std::string ext = file.extension().string();
  struct entry { std::string_view ext, type; };
  static constexpr entry table[] = {
      {".html", "text/html; charset=utf-8"},      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},  {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},        {".json", "application/json"},
      {".map", "application/json"},               {".webmanifest", "application/manifest+json"},
      {".svg", "image/svg+xml"},                  {".png", "image/png"},
      {".jpg", "image/jpeg"},                     {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},                      {".webp", "image/webp"},
      {".ico", "image/x-icon"},                   {".woff2", "font/woff2"},
      {".woff", "font/woff"},                     {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  for (const auto& e : table) {
    if (e.ext == ext) return e.type;
  }
  return "application/octet-stream";
}

any_response static_files::serve(const http_request& req, std::string_view path) const {
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    auto res = make_response(405, "text/plain; charset=utf-8", "Method not allowed\n", req.version(), req.keep_alive());
    res.set(http::field::allow, "GET, HEAD");
    return res;
  }
  if (path == "/widget" || path == "/console") {
    auto res = make_response(301, "text/plain; charset=utf-8", "", req.version(), req.keep_alive());
    res.set(http::field::location, std::string(path) + "/");
    return res;
  }
  auto file = resolve(path);
  if (!file) return not_found(req);
  std::error_code ec;
  if (fs::is_directory(*file, ec)) {
    if (!path.ends_with('/')) {
      auto res = make_response(301, "text/plain; charset=utf-8", "", req.version(), req.keep_alive());
      res.set(http::field::location, std::string(path) + "/");
      return res;
    }
    *file /= "index.html";
  }
  if (!fs::is_regular_file(*file, ec)) return not_found(req);
  const auto size = fs::file_size(*file, ec);
  if (ec) return not_found(req);
  const auto mtime = fs::last_write_time(*file, ec);
  if (ec) return not_found(req);
  const auto sys_time = std::chrono::file_clock::to_sys(mtime);
  const auto mtime_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(sys_time.time_since_epoch()).count();
  const std::string etag = fmt::format("\"{:x}-{:x}\"", size, mtime_ns);
  const std::string last_modified = http_date(std::chrono::time_point_cast<std::chrono::system_clock::duration>(sys_time));
  const auto content_type = mime_type(*file);

  auto set_cache_headers = [&](auto& res) {
    res.set(http::field::etag, etag);
    res.set(http::field::last_modified, last_modified);
    res.set(http::field::cache_control, "no-cache");
    // The loader runs on the helpline's own site and fetches its strings from here: widget files
    // are public and sent without credentials, so any origin may read them.
    if (path.starts_with(widget_prefix)) res.set(http::field::access_control_allow_origin, "*");
  };

  if (const auto inm = req[http::field::if_none_match]; !inm.empty() &&
      (inm == "*" || inm.find(etag) != std::string_view::npos)) {
    string_response res{http::status::not_modified, req.version()};
    set_cache_headers(res);
    res.keep_alive(req.keep_alive());
    return res;
  }

  if (req.method() == http::verb::head) {
    // Same headers as GET, no body: Content-Length is the file's size.
    string_response res{http::status::ok, req.version()};
    res.set(http::field::content_type, content_type);
    set_cache_headers(res);
    res.keep_alive(req.keep_alive());
    res.content_length(size);
    return res;
  }

  http::file_body::value_type body;
  beast::error_code open_ec;
  body.open(file->c_str(), beast::file_mode::scan, open_ec);
  if (open_ec) return not_found(req);
  file_response res{std::piecewise_construct, std::make_tuple(std::move(body)),
                    std::make_tuple(http::status::ok, req.version())};
  res.set(http::field::content_type, content_type);
  set_cache_headers(res);
  res.keep_alive(req.keep_alive());
  res.prepare_payload();
  return res;
}

}  // namespace helpline::net
