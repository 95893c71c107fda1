// Security headers for every response and the WebSocket Origin check, from server_options.
#pragma once

#include "net/server_options.hpp"

#include <boost/beast/http/fields.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace helpline::net {

class security_policy {
 public:
  explicit security_policy(const server_options& options);

  // X-Content-Type-Options, Referrer-Policy, Content-Security-Policy (+ HSTS over TLS).
  // /widget/ may be framed by 'self' and the allowed origins (it runs in an iframe on the
  // helpline's site); every other path, /console/ included, has frame-ancestors 'none' and
  // X-Frame-Options: DENY. host is the request's Host header (used for connect-src ws/wss).
  void apply(boost::beast::http::fields& headers, std::string_view path, std::string_view host, bool secure) const;

  // WebSocket Origin check (see server_options::allowed_origins).
  bool origin_allowed(std::string_view origin, std::string_view host) const;

 private:
  std::vector<std::string> allowed_origins_;
  bool any_origin_ = false;
  bool tls_ = false;
  std::string widget_frame_ancestors_;
};

}  // namespace helpline::net
