#include "net/request_router.hpp"

#include <boost/asio/use_awaitable.hpp>

#include <exception>

namespace helpline::net {

namespace {

string_response text(unsigned status, std::string body, const http_request& req) {
  return make_response(status, "text/plain; charset=utf-8", std::move(body), req.version(), req.keep_alive());
}

string_response json_error(unsigned status, std::string_view code, const http_request& req) {
  std::string body = R"({"type":"error","code":")";
  body += code;
  body += "\"}";
  auto res = make_response(status, "application/json", std::move(body), req.version(), req.keep_alive());
  res.set(http::field::cache_control, "no-store");
  return res;
}

bool get_or_head(const http_request& req) {
  return req.method() == http::verb::get || req.method() == http::verb::head;
}

// HEAD gets GET's headers with no body.
string_response for_method(string_response res, const http_request& req) {
  if (req.method() == http::verb::head) {
    const auto size = res.body().size();
    res.body().clear();
    res.content_length(size);
  }
  return res;
}

boost::asio::awaitable<any_response> call_api(server_context& ctx, const http_request& req) {
  http_request_view view{
      req.method_string(), req.target(), req.body(),
      [&req](std::string_view name) -> std::string_view { return req[name]; }};
  std::optional<http_response> answer;
  try {
    answer = co_await ctx.app.handle_api(std::move(view));
  } catch (const std::exception& e) {
    ctx.http_log->error("api handler threw: {}", e.what());
    co_return json_error(500, "internal_error", req);
  }
  if (!answer) co_return json_error(404, "not_found", req);
  auto res = make_response(answer->status, answer->content_type, std::move(answer->body), req.version(), req.keep_alive());
  res.set(http::field::cache_control, "no-store");
  for (const auto& [name, value] : answer->headers) res.set(name, value);
  co_return res;
}

}  // namespace

std::string_view target_path(std::string_view target) noexcept {
  return target.substr(0, target.find('?'));
}

boost::asio::awaitable<any_response> route_request(server_context& ctx, const http_request& req, bool secure) {
  const std::string_view path = target_path(req.target());
  const bool probe = path == "/healthz" || path == "/readyz" || path == "/metrics";

  // Plain HTTP on a TLS port: probes only (load balancers), everything else goes to https.
  if (ctx.options.tls && !secure && !probe) {
    auto res = text(308, "", req);
    const auto host = req[http::field::host];
    res.set(http::field::location, "https://" + std::string(host) + std::string(req.target()));
    res.keep_alive(false);
    co_return res;
  }

  if (path.starts_with("/api/")) co_return co_await call_api(ctx, req);

  if (probe && !get_or_head(req)) {
    auto res = text(405, "Method not allowed\n", req);
    res.set(http::field::allow, "GET, HEAD");
    co_return res;
  }
  if (path == "/healthz") co_return for_method(text(200, "ok", req), req);
  if (path == "/readyz") {
    bool ready = false;
    try {
      ready = co_await ctx.app.ready();
    } catch (const std::exception& e) {
      ctx.http_log->warn("readiness check threw: {}", e.what());
    }
    auto res = ready ? text(200, "ready", req) : text(503, "not ready", req);
    res.set(http::field::cache_control, "no-store");
    co_return for_method(std::move(res), req);
  }
  if (path == "/metrics") {
    std::string body = ctx.registry.render();
    ctx.app.append_metrics(body);
    auto res = make_response(200, "text/plain; version=0.0.4; charset=utf-8", std::move(body), req.version(),
                             req.keep_alive());
    res.set(http::field::cache_control, "no-store");
    co_return for_method(std::move(res), req);
  }
  if (path == "/" && get_or_head(req)) {
    auto res = text(302, "", req);
    res.set(http::field::location, ctx.options.index_redirect);
    co_return res;
  }
  if (static_files::handles(path)) co_return ctx.files.serve(req, path);
  if (path == "/ws/visitor" || path == "/ws/advisor") {
    auto res = text(426, "WebSocket upgrade required\n", req);
    res.set(http::field::upgrade, "websocket");
    co_return res;
  }
  co_return for_method(make_response(404, "text/html; charset=utf-8",
                                     "<!doctype html><html lang=\"en\"><meta charset=\"utf-8\"><title>Not found</title>"
                                     "<h1>Not found</h1><p>There is nothing at this address.</p></html>\n",
                                     req.version(), req.keep_alive()),
                       req);
}

void finish_response(server_context& ctx, any_response& response, const http_request* req, bool secure) {
  std::visit(
      [&](auto& res) {
        const std::string_view path = req ? target_path(req->target()) : std::string_view{};
        const std::string_view host = req ? std::string_view((*req)[http::field::host]) : std::string_view{};
        res.set(http::field::server, "helpline");
        ctx.security.apply(res.base(), path, host, secure);
        ctx.metrics.http_response(res.result_int());
      },
      response);
}

}  // namespace helpline::net
