#include "redis/reply.hpp"

#include <hiredis/hiredis.h>

#include <charconv>

#include "redis/error.hpp"

namespace helpline::redis {

namespace {
std::string_view kind_name(reply::kind type) {
  switch (type) {
    case reply::kind::nil:
      return "nil";
    case reply::kind::integer:
      return "integer";
    case reply::kind::string:
      return "string";
    case reply::kind::status:
      return "status";
    case reply::kind::array:
      return "array";
    case reply::kind::error:
      return "error";
  }
  return "unknown";
}

[[noreturn]] void throw_unexpected(const reply& r, std::string_view wanted) {
  if (r.type == reply::kind::error) {
    throw error_from_reply(r.str);
  }
  std::string message = "expected ";
  message += wanted;
  message += " reply, got ";
  message += kind_name(r.type);
  throw error(errc::protocol, std::move(message));
}
}  // namespace

const std::string& reply::as_string() const {
  if (type != kind::string && type != kind::status) {
    throw_unexpected(*this, "string");
  }
  return str;
}

long long reply::as_integer() const {
  if (type == kind::integer) {
    return integer;
  }
  if (type == kind::string) {
    long long value = 0;
    const char* first = str.data();
    const char* last = first + str.size();
    auto [end, ec] = std::from_chars(first, last, value);
    if (ec == std::errc() && end == last && first != last) {
      return value;
    }
    throw error(errc::protocol, "expected integer reply, got a string that is not a number");
  }
  throw_unexpected(*this, "integer");
}

const std::vector<reply>& reply::as_array() const {
  if (type != kind::array && type != kind::nil) {
    throw_unexpected(*this, "array");
  }
  return elements;  // empty for nil
}

std::optional<std::string> reply::as_optional_string() const {
  if (type == kind::nil) {
    return std::nullopt;
  }
  return as_string();
}

reply reply::from_hiredis(const redisReply& source) {
  reply copy;
  switch (source.type) {
    case REDIS_REPLY_STRING:
      copy.type = kind::string;
      copy.str.assign(source.str, source.len);
      break;
    case REDIS_REPLY_STATUS:
      copy.type = kind::status;
      copy.str.assign(source.str, source.len);
      break;
    case REDIS_REPLY_ERROR:
      copy.type = kind::error;
      copy.str.assign(source.str, source.len);
      break;
    case REDIS_REPLY_INTEGER:
      copy.type = kind::integer;
      copy.integer = source.integer;
      break;
    case REDIS_REPLY_ARRAY:
      copy.type = kind::array;
      copy.elements.reserve(source.elements);
      for (std::size_t i = 0; i < source.elements; ++i) {
        copy.elements.push_back(from_hiredis(*source.element[i]));
      }
      break;
    case REDIS_REPLY_NIL:
    default:
      copy.type = kind::nil;
      break;
  }
  return copy;
}

}  // namespace helpline::redis
