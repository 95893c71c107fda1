#include "redis/script.hpp"

#include "redis/sha1.hpp"

namespace helpline::redis {

script::script(std::string source) : source_(std::move(source)), sha1_(sha1_hex(source_)) {}

}  // namespace helpline::redis
