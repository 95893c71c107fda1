#pragma once
// Identifiers and secrets from libsodium's CSPRNG. Tokens are stored only as hashes, so a copy of
// the Redis data does not let anyone resume a conversation or act as an advisor.
#include <string>
#include <string_view>

namespace helpline::ids {

std::string random_id(std::string_view prefix);  // e.g. "c_" + 24 hex characters
std::string new_token(std::string_view prefix);  // prefix + 43 url-safe base64 characters (256 bits)
std::string token_hash(std::string_view token);  // BLAKE2b-256, hex

}  // namespace helpline::ids
