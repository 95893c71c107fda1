#pragma once
// A deep copy of a hiredis redisReply, so hiredis memory is released as soon as a reply arrives and
// replies can cross threads freely.
#include <optional>
#include <string>
#include <vector>

struct redisReply;

namespace helpline::redis {

struct reply {
  enum class kind { nil, integer, string, status, array, error };

  kind type = kind::nil;
  long long integer = 0;
  std::string str;  // string, status or error text
  std::vector<reply> elements;

  bool is_nil() const noexcept { return type == kind::nil; }
  bool is_error() const noexcept { return type == kind::error; }

  // The accessors below throw error(errc::server, text) when called on an error reply (as found
  // inside pipeline() results) and error(errc::protocol) when the shape is something else.

  // A bulk string or a status reply ("OK").
  const std::string& as_string() const;
  // An integer reply, or a bulk string holding a whole decimal number (as HGET returns).
  long long as_integer() const;
  // An array reply. A nil array (EXEC aborted by WATCH, BLPOP timing out) reads as empty: callers
  // that must tell the two apart check is_nil() first.
  const std::vector<reply>& as_array() const;
  // nil -> nullopt; string or status -> the text.
  std::optional<std::string> as_optional_string() const;

  // Deep copy of a hiredis reply (hiredis frees the original after the callback).
  static reply from_hiredis(const redisReply& source);
};

}  // namespace helpline::redis
