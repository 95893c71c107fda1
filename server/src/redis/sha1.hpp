#pragma once
// SHA-1 as Redis uses it to name scripts (EVALSHA). Not for security: only to match Redis's digest.
#include <string>
#include <string_view>

namespace helpline::redis {

// Lower-case hex digest, 40 characters.
std::string sha1_hex(std::string_view data);

}  // namespace helpline::redis
