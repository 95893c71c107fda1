// Beast aliases shared by the HTTP side of the transport.
#pragma once

#include <boost/beast/http.hpp>

#include <variant>

namespace helpline::net {

namespace beast = boost::beast;
namespace http = beast::http;

using http_request = http::request<http::string_body>;
using string_response = http::response<http::string_body>;
using file_response = http::response<http::file_body>;
using any_response = std::variant<string_response, file_response>;

// A small response with the given status, content type and body (sized, keep-alive as asked).
string_response make_response(unsigned status, std::string content_type, std::string body, unsigned version,
                              bool keep_alive);

}  // namespace helpline::net
