#pragma once
// How a stored conversation record reads to advisors: the summary in offers, `conversations` and
// `conversation` (docs/protocol.md), and the record's fields it is made of.
#include <boost/json/object.hpp>
#include <string>

#include "app/redis_call.hpp"

namespace helpline::conversation_summary {

std::string field(const record& r, const char* k);      // "" when absent
long long field_ms(const record& r, const char* k);     // 0 when absent
boost::json::object summary(const record& c);

}  // namespace helpline::conversation_summary
