#include "net/security_policy.hpp"

#include <algorithm>
#include <cctype>

namespace helpline::net {

namespace http = boost::beast::http;

namespace {

// Host header characters that may go into a CSP source; anything else is left out.
bool safe_host(std::string_view host) {
  if (host.empty() || host.size() > 255) return false;
  return std::all_of(host.begin(), host.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
           c == ':' || c == '[' || c == ']';
  });
}

// Origin "scheme://host[:port]" -> "host[:port]"; empty if it is not of that shape.
std::string_view origin_authority(std::string_view origin) {
  const auto sep = origin.find("://");
  if (sep == std::string_view::npos) return {};
  auto rest = origin.substr(sep + 3);
  if (rest.find('/') != std::string_view::npos) return {};
  return rest;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

security_policy::security_policy(const server_options& options) : tls_(options.tls.has_value()) {
  widget_frame_ancestors_ = "'self'";
  for (const auto& origin : options.allowed_origins) {
    if (origin == "*") {
      any_origin_ = true;
    } else {
      allowed_origins_.push_back(origin);
      if (safe_host(origin_authority(origin))) widget_frame_ancestors_ += " " + origin;
    }
  }
  if (any_origin_) widget_frame_ancestors_ = "*";
}

void security_policy::apply(http::fields& headers, std::string_view path, std::string_view host, bool secure) const {
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "no-referrer");
  const bool widget = path.starts_with("/widget/");
  std::string csp =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
      "connect-src 'self'";
  if (safe_host(host)) {
    csp += " ws://";
    csp += host;
    csp += " wss://";
    csp += host;
  }
  csp += "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors ";
  if (widget) {
    csp += widget_frame_ancestors_;
  } else {
    csp += "'none'";
    headers.set("X-Frame-Options", "DENY");
  }
  headers.set("Content-Security-Policy", csp);
  if (secure && tls_) headers.set("Strict-Transport-Security", "max-age=31536000");
}

bool security_policy::origin_allowed(std::string_view origin, std::string_view host) const {
  if (origin.empty()) return true;  // not a browser: cross-site WebSocket hijacking needs one
  if (any_origin_) return true;
  if (allowed_origins_.empty()) {
    const auto authority = origin_authority(origin);
    return !authority.empty() && iequals(authority, host);
  }
  return std::any_of(allowed_origins_.begin(), allowed_origins_.end(),
                     [&](const std::string& allowed) { return iequals(allowed, origin); });
}

}  // namespace helpline::net
